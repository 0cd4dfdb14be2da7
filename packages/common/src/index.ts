export * from './model/index.js';
export * from './errors.js';
export * from './clock.js';
export * from './utf8-length.js';
