import type { Clock, Rng } from '@shoal/common';
import type { ConfChange, ConfState, Message, NodeId, Ready, Storage } from '@shoal/raft';
import type { StateMachine, TransactionResult } from '../store/types.js';
import type { Member } from './members.js';

// What a RaftHost is given and tells (raft-host.ts): its transport, storage, timing and events.

/** Sends Raft messages to the other managers; see io/grpc-transport.ts. */
export interface RaftTransport {
  send(messages: readonly Message[]): void;
  /** The members to keep connections to (this manager among them is skipped). */
  setMembers(members: readonly Member[]): void;
  /** When a message last arrived from this member (clock ms), or undefined. */
  lastHeard(raftId: NodeId): number | undefined;
}

/**
 * Stable storage as the host uses it: the core reads the log through `Storage`; the host persists
 * each Ready (durably, before anything depends on it) and records snapshots. `DurableRaftStorage`
 * implements it over a key-value disk: LevelDB in production, a simulated disk in test/sim.
 */
export interface RaftHostStorage extends Storage {
  persist(rd: Pick<Ready, 'snapshot' | 'hardState' | 'entries'>): Promise<void>;
  saveSnapshot(index: number, conf: ConfState, data: string, keepTail: number, keepTailBytes?: number): Promise<void>;
}

export interface RaftTiming {
  tickMs: number;
  electionTicks: number;
  heartbeatTicks: number;
}

export const DEFAULT_RAFT_TIMING: RaftTiming = { tickMs: 100, electionTicks: 10, heartbeatTicks: 1 };

export interface RaftHostOptions {
  raftId: NodeId;
  storage: RaftHostStorage;
  machine: StateMachine;
  transport: RaftTransport;
  clock: Clock;
  rng: Rng;
  /** Runs `fn` after `delayMs` unless cancelled: real timers in production, events in test/sim. */
  schedule: (delayMs: number, fn: () => void) => () => void;
  timing?: RaftTiming;
  /** Snapshot the store every this many applied entries (default 10,000, as swarmkit). */
  snapshotInterval?: number;
  /** Or once this many bytes of entry data were applied since the last one (default 64 MiB). */
  snapshotIntervalBytes?: number;
  /** Entries kept after a snapshot for followers that lag a little (default 500)... */
  keepTail?: number;
  /** ...holding at most this many bytes of entry data (default 16 MiB). */
  keepTailBytes?: number;
  /** Reads waiting for ReadIndex at most (default 10,000). */
  maxPendingReads?: number;
  /** The host cannot go on (a failed fsync, a corrupt entry): the daemon stops. */
  onFatal: (error: unknown) => void;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** Per-entry detail (debug level): which proposal was applied at which index. */
  trace?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface HostEvents {
  /** Leadership usable (own-term entry applied) or lost. */
  leadership?: (leader: boolean) => void;
  /** A proposal entry was applied, with one result per transaction. */
  applied?: (proposalId: string, results: TransactionResult[]) => void;
  /** A conf change was applied. */
  confApplied?: (cc: ConfChange) => void;
  /** A Ready was handled: the state (and a leader's view of its followers) may have moved. */
  changed?: () => void;
}
