/** A pure, synchronous Raft core; see README.md for the driver loop. */
export { RaftNode, type RaftNodeConfig, type Status } from './raft-node.js';
export { MemoryStorage, type Storage } from './storage.js';
export { NONE, message, isEmptyHardState, type Entry, type EntryType, type HardState, type Message, type MessageType, type NodeId, type ReadState, type Ready, type Snapshot, type SoftState, type StateRole } from './types.js';
