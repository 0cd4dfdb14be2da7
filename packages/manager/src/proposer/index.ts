export { LocalLogProposer, type LocalLogProposerOptions } from './local-log-proposer.js';
export type { LogStorage, StorageOp } from './log-storage.js';
export { MemoryLogStorage } from './memory-log-storage.js';
export { CorruptLogError, entryKey, SNAPSHOT_KEY } from './log-codec.js';
export { recoverLog, type RecoveredLog } from './recover-log.js';
export { LevelLogStorage } from './io/level-log-storage.js';
export { openLocalLogProposer, openLocalStore, type OpenLocalLogOptions } from './io/open-local-log-proposer.js';
