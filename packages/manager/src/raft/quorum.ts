import { unavailable, type Clock, type ShoalError } from '@shoal/common';
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

/** The error writes fail with when the managers cannot form a quorum. */
export const noQuorumError = (r: Reachability): ShoalError => unavailable(`no quorum: ${r.reachable} of ${r.total} managers reachable`);

/** The warning a read answered from local state carries when there is no quorum. */
export const staleReadWarning = (r: Reachability): string =>
  `${noQuorumError(r).message}: this is the last state this manager knows and may be stale`;
