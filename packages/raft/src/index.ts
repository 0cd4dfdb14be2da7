/** A pure, synchronous Raft core; see README.md for the driver loop. */
export { RaftNode, type ProgressStatus, type RaftNodeConfig, type Status } from './raft-node.js';
export type { ProgressState } from './progress.js';
export { MemoryStorage, type Storage } from './storage.js';
export { NONE, message, isEmptyHardState, encodeConfChange, decodeConfChange, type ConfChange, type ConfChangeType, type ConfState, type Entry, type EntryType, type HardState, type Message, type MessageType, type NodeId, type ReadState, type Ready, type Snapshot, type SoftState, type StateRole } from './types.js';
