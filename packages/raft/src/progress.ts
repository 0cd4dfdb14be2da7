import type { NodeId } from './types.js';

/**
 * The leader's view of one follower. In `probe` it sends one append at a time until a response
 * finds the point where the logs match; in `replicate` it streams, advancing `next` optimistically.
 */
export interface Progress {
  match: number;
  next: number;
  state: 'probe' | 'replicate';
  /** Probe only: an append is in flight; wait for its answer (or a heartbeat response). */
  paused: boolean;
  /** Heard from since the last CheckQuorum round. */
  recentActive: boolean;
}

export function newProgress(next: number): Progress {
  return { match: 0, next, state: 'probe', paused: false, recentActive: false };
}

export function quorum(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/** The highest index stored on a quorum of the given match indexes. */
export function quorumMatch(matches: readonly number[]): number {
  const sorted = [...matches].sort((a, b) => b - a);
  return sorted[quorum(sorted.length) - 1] ?? 0;
}

/** Acknowledge an append that reached `index`. Returns false for a stale acknowledgement. */
export function acknowledge(pr: Progress, index: number): boolean {
  if (index <= pr.match) return false;
  pr.match = index;
  pr.next = Math.max(pr.next, index + 1);
  pr.state = 'replicate';
  pr.paused = false;
  return true;
}

/**
 * A follower rejected the append after `rejected`; `hint` is its last index. Moves `next` back
 * and returns true, or returns false when the rejection is stale.
 */
export function backOff(pr: Progress, rejected: number, hint: number): boolean {
  if (rejected <= pr.match) return false;
  if (pr.state === 'probe' && rejected !== pr.next - 1) return false;
  pr.next = Math.max(1, Math.min(rejected, hint + 1));
  pr.next = Math.max(pr.next, pr.match + 1);
  pr.state = 'probe';
  pr.paused = false;
  return true;
}

export type ProgressMap = Map<NodeId, Progress>;
