export * from './types.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { applyEntryTo, checkTransaction, type ApplyOutcome } from './apply-entry.js';
export { deepFreeze } from './deep-freeze.js';
