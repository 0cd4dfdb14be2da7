import { Inflights } from './inflights.js';
import type { NodeId } from './types.js';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/**
 * The leader's view of one follower (or learner). In `probe` it sends one append at a time until a
 * response finds the point where the logs match; in `replicate` it streams, advancing `next`
 * optimistically with at most `inflights.capacity` appends unacknowledged; in `snapshot` it has
 * sent a snapshot and sends nothing until the follower acknowledges it or the driver reports a
 * failure.
 */
export interface Progress {
  match: number;
  next: number;
  state: ProgressState;
  /** Probe only: an append is in flight; wait for its answer (or a heartbeat response). */
  paused: boolean;
  /** Snapshot only: the index of the snapshot sent. */
  pendingSnapshot: number;
  inflights: Inflights;
  /** Heard from since the last CheckQuorum round. */
  recentActive: boolean;
}

export function newProgress(next: number, maxInflight: number): Progress {
  return { match: 0, next, state: 'probe', paused: false, pendingSnapshot: 0, inflights: new Inflights(maxInflight), recentActive: false };
}

/** Whether the leader must hold appends to this follower for now. */
export function isPaused(pr: Progress): boolean {
  if (pr.state === 'probe') return pr.paused;
  if (pr.state === 'replicate') return pr.inflights.full();
  return true;
}

/** Back to one append at a time, from after what the follower is known (or, after a snapshot, expected) to hold. */
export function becomeProbe(pr: Progress): void {
  pr.next = pr.state === 'snapshot' ? Math.max(pr.match + 1, pr.pendingSnapshot + 1) : pr.match + 1;
  pr.state = 'probe';
  pr.paused = false;
  pr.pendingSnapshot = 0;
  pr.inflights.reset();
}

function becomeReplicate(pr: Progress): void {
  pr.state = 'replicate';
  pr.next = pr.match + 1;
  pr.paused = false;
  pr.pendingSnapshot = 0;
  pr.inflights.reset();
}

export function becomeSnapshot(pr: Progress, index: number): void {
  pr.state = 'snapshot';
  pr.pendingSnapshot = index;
  pr.paused = false;
  pr.inflights.reset();
}

export function quorum(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/** The highest index stored on a quorum of the given match indexes. */
export function quorumMatch(matches: readonly number[]): number {
  const sorted = [...matches].sort((a, b) => b - a);
  return sorted[quorum(sorted.length) - 1] ?? 0;
}

/**
 * Acknowledge an append that reached `index`. Returns false for a stale acknowledgement.
 * `firstIndex` is the leader's first log index: a follower in `snapshot` state that now matches
 * at or past it (or past the snapshot) can be streamed to again.
 */
export function acknowledge(pr: Progress, index: number, firstIndex: number): boolean {
  if (index <= pr.match) {
    return false;
  }
  pr.match = index;
  if (pr.state === 'replicate') {
    pr.next = Math.max(pr.next, index + 1);
    pr.inflights.freeTo(index);
  } else if (pr.state === 'probe' || index >= pr.pendingSnapshot || index + 1 >= firstIndex) {
    becomeReplicate(pr);
  }
  return true;
}

/**
 * A follower rejected the append after `rejected`; `hint` is its last index. Moves `next` back
 * and returns true, or returns false when the rejection is stale.
 */
export function backOff(pr: Progress, rejected: number, hint: number): boolean {
  if (rejected <= pr.match || pr.state === 'snapshot') return false;
  if (pr.state === 'probe' && rejected !== pr.next - 1) return false;
  becomeProbe(pr);
  pr.next = Math.max(1, Math.min(rejected, hint + 1), pr.match + 1);
  return true;
}

export type ProgressMap = Map<NodeId, Progress>;

/**
 * CheckQuorum: has a quorum of voters (counting `self`) been heard from since the last round?
 * Starts the next round (clears every `recentActive`).
 */
export function quorumActive(progress: ProgressMap, self: NodeId, isVoter: (id: NodeId) => boolean, voters: number): boolean {
  let active = 0;
  for (const [peer, pr] of progress) {
    if (isVoter(peer) && (peer === self || pr.recentActive)) active++;
    pr.recentActive = false;
  }
  return active >= quorum(voters);
}
