import { failedPrecondition, unavailable, type Clock, type ShoalError } from '@shoal/common';
import type { NodeId, Status } from '@shoal/raft';

export interface QuorumView {
  raftId: NodeId;
  status(): Pick<Status, 'voters'>;
  lastHeard(raftId: NodeId): number | undefined;
}

export interface Reachability {
  reachable: number;
  total: number;
}

/** This manager always; another when a message came from it within `windowMs`. */
export function isReachable(view: QuorumView, clock: Clock, windowMs: number, raftId: NodeId): boolean {
  if (raftId === view.raftId) return true;
  const heard = view.lastHeard(raftId);
  return heard !== undefined && clock.now() - heard <= windowMs;
}

/** How many voting managers (this one included) are reachable. */
export function reachableVoters(view: QuorumView, clock: Clock, windowMs: number): Reachability {
  const voters = view.status().voters;
  return { reachable: voters.filter((id) => isReachable(view, clock, windowMs, id)).length, total: voters.length };
}

export const quorumOf = (voters: number): number => Math.floor(voters / 2) + 1;

/**
 * The error writes fail with when there is no leader: no quorum of managers reachable, or (with
 * a quorum reachable) an election under way — "no quorum: 3 of 3 reachable" would contradict itself.
 */
export const noQuorumError = (r: Reachability): ShoalError =>
  unavailable(r.reachable >= quorumOf(r.total) ? `no leader yet: the managers are electing one (${r.reachable} of ${r.total} managers reachable)` : `no quorum: ${r.reachable} of ${r.total} managers reachable`);

/** The warning a read answered from local state carries when there is no quorum. */
export const staleReadWarning = (r: Reachability): string =>
  `${noQuorumError(r).message}: this is the last state this manager knows and may be stale`;

/**
 * Why removing one voter (reachable or not) would leave the managers without a quorum of
 * reachable voters; undefined when it is safe. Docker's wording, as users know it.
 */
export function removalBreaksQuorum(r: Reachability, removedIsReachable: boolean): ShoalError | undefined {
  const remaining = r.total - 1;
  const reachableAfter = r.reachable - (removedIsReachable ? 1 : 0);
  if (remaining > 0 && reachableAfter >= quorumOf(remaining)) return undefined;
  return failedPrecondition(
    `Removing this node leaves ${reachableAfter} reachable managers out of ${remaining}. Without a Raft quorum your swarm will be inaccessible. ` +
      'The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.',
  );
}
