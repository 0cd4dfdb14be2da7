export * from './task-state.js';
export * from './objects.js';
export * from './defaults.js';
export * from './worker-input-limits.js';
