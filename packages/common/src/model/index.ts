export * from './task-state.js';
export * from './objects.js';
export * from './defaults.js';
