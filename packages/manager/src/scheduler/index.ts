export * from './constraint.js';
export * from './filter.js';
export * from './filters/index.js';
export * from './node-info.js';
export * from './pipeline.js';
export * from './rank.js';
export * from './schedule-tasks.js';
export * from './scheduler.js';
