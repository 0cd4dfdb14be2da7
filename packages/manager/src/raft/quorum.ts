import { unavailable, type Clock, type ShoalError } from '@shoal/common';
import type { NodeId, Status } from '@shoal/raft';

export interface QuorumView {
  raftId: NodeId;
  status(): Pick<Status, 'voters'>;
  lastHeard(raftId: NodeId): number | undefined;
}

/** How many voting managers (this one included) were heard from within `windowMs`. */
export interface Reachability {
  reachable: number;
  total: number;
}

export function reachableVoters(view: QuorumView, clock: Clock, windowMs: number): Reachability {
  const voters = view.status().voters;
  const now = clock.now();
  const reachable = voters.filter((id) => {
    if (id === view.raftId) return true;
    const heard = view.lastHeard(id);
    return heard !== undefined && now - heard <= windowMs;
  }).length;
  return { reachable, total: voters.length };
}

export const quorumOf = (voters: number): number => Math.floor(voters / 2) + 1;

/** The error writes fail with when the managers cannot form a quorum. */
export const noQuorumError = (r: Reachability): ShoalError => unavailable(`no quorum: ${r.reachable} of ${r.total} managers reachable`);
