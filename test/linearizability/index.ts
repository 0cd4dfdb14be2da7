export * from './checker.js';
export * from './models.js';
export * from './history.js';
