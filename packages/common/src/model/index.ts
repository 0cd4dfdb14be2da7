export * from './task-state.js';
export * from './objects.js';
export * from './host-port.js';
export * from './defaults.js';
export * from './worker-input-limits.js';
export * from './network.js';
