/**
 * Bounds on what peers and callers can make this manager hold (DESIGN §4: a limit on everything).
 * Sizes are bytes of the JSON a message travels as (UTF-8 on the wire).
 */
export interface RaftLimits {
  /**
   * The largest Raft message accepted from, or sent to, a peer. A snapshot of the whole store is
   * one message (sent in 512 KiB chunks), so this bounds the store a new manager can catch up
   * from: every manager should use the same value.
   */
  maxMessageBytes: number;
  /** Bytes of partly received messages held across every incoming Raft stream together. */
  maxReceiveBufferBytes: number;
  /** Bytes of messages waiting to be written to one peer; beyond it new ones are dropped (Raft resends). */
  maxPeerQueueBytes: number;
  /** Store transactions queued or in flight on the leader; beyond it writes fail at once. */
  maxPendingProposals: number;
  /** Reads waiting for the leader to confirm its commit index (ReadIndex); beyond it reads fail at once. */
  maxPendingReads: number;
}

const MIB = 1024 * 1024;

/** swarmkit allows 128 MiB Raft messages too; a store that large takes minutes to send anyway. */
export const DEFAULT_RAFT_LIMITS: RaftLimits = {
  maxMessageBytes: 128 * MIB,
  maxReceiveBufferBytes: 256 * MIB,
  maxPeerQueueBytes: 64 * MIB,
  maxPendingProposals: 10_000,
  maxPendingReads: 10_000,
};

/** The defaults with `over` applied; the receive buffer always holds two messages of the largest size. */
export function raftLimits(over: Partial<RaftLimits> = {}): RaftLimits {
  const limits = { ...DEFAULT_RAFT_LIMITS, ...over };
  if (over.maxReceiveBufferBytes === undefined) limits.maxReceiveBufferBytes = Math.max(limits.maxReceiveBufferBytes, 2 * limits.maxMessageBytes);
  return limits;
}
