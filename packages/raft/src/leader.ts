import { becomeProbe } from './progress.js';
import type { Raft } from './raft.js';
import { broadcastAppend, handleAppendResponse, maybeCommit, sendAppend } from './replication.js';
import { decodeConfChange, encodeConfChange, message, NONE, type ConfChange, type ConfState, type Entry, type Message, type NodeId } from './types.js';

/*
 * The leader's side of the protocol, apart from replication itself: responses from followers,
 * leadership transfer, membership changes and the transport's flow-control reports.
 */

// ---- messages ------------------------------------------------------------------------------

export function stepLeader(r: Raft, m: Message): void {
  const pr = r.progress.get(m.from);
  if (pr === undefined) return;
  if (m.type === 'MsgAppResp') {
    pr.recentActive = true;
    const result = handleAppendResponse(r, m);
    if (result === 'committed') {
      broadcastAppend(r);
      r.reads.committed();
    }
    if (result !== undefined && m.from === r.leadTransferee && pr.match === r.log.lastIndex()) {
      sendTimeoutNow(r, m.from);
    }
  } else if (m.type === 'MsgHeartbeatResp') {
    pr.recentActive = true;
    pr.paused = false;
    // The follower is alive: if its window is full, free one slot so that the stream resumes.
    if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirst();
    if (pr.match < r.log.lastIndex()) sendAppend(r, m.from);
    if (m.context !== '') r.reads.heartbeatAck(m.from, m.context);
  }
}

// ---- leadership transfer -----------------------------------------------------------------

/**
 * Leader only: hands leadership to `to`. Proposals are refused meanwhile; once `to` has the
 * whole log it gets MsgTimeoutNow and campaigns at once. Abandoned after an election timeout.
 */
export function transferLeadership(r: Raft, to: NodeId): boolean {
  if (r.state !== 'leader' || to === r.id || !r.conf.isVoter(to) || !r.progress.has(to)) return false;
  if (r.leadTransferee === to) return true;
  r.leadTransferee = to;
  r.electionElapsed = 0; // the transfer gets one election timeout
  const pr = r.progress.get(to);
  if (pr !== undefined && pr.match === r.log.lastIndex()) sendTimeoutNow(r, to);
  else sendAppend(r, to);
  return true;
}

function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send(message({ type: 'MsgTimeoutNow', from: r.id, to, term: r.term }));
}

// ---- membership ---------------------------------------------------------------------------

/**
 * Whether the leader may append these conf entries now: one change at a time (the previous one
 * applied), only once an entry of its own term is committed (the fix for single-server changes),
 * and only a change that is valid against the configuration in force.
 */
export function acceptsConfEntries(r: Raft, entries: readonly Entry[]): boolean {
  if (entries.length !== 1 || r.pendingConfIndex > r.log.applied) return false;
  if (r.log.term(r.log.committed) !== r.term) return false;
  let cc: ConfChange;
  try {
    cc = decodeConfChange(entries[0]!.data);
  } catch {
    return false;
  }
  return r.conf.accepts(cc);
}

/** Leader only: appends a conf entry for `cc`; false when refused (see `acceptsConfEntries`). */
export function proposeConfChange(r: Raft, cc: ConfChange): boolean {
  if (r.state !== 'leader') return false;
  const entry: Entry = { term: 0, index: 0, type: 'conf', data: encodeConfChange(cc) };
  return r.stepProposal(message({ type: 'MsgProp', from: r.id, to: r.id, entries: [entry] }));
}

/** The driver applied a committed conf entry: the change takes effect now. */
export function applyConfChange(r: Raft, cc: ConfChange): ConfState {
  r.conf.apply(cc);
  if (r.state === 'leader') leaderConfChanged(r);
  return r.conf.confState();
}

function leaderConfChanged(r: Raft): void {
  if (!r.conf.isVoter(r.id)) {
    r.becomeFollower(r.term, NONE);
    return;
  }
  for (const peer of r.progress.keys()) if (!r.conf.isMember(peer)) r.progress.delete(peer);
  for (const peer of r.conf.members()) if (!r.progress.has(peer)) r.addProgress(peer);
  if (r.leadTransferee !== NONE && !r.conf.isVoter(r.leadTransferee)) r.leadTransferee = NONE;
  // A smaller quorum may already hold more entries.
  if (maybeCommit(r)) r.reads.committed();
  broadcastAppend(r);
}

// ---- flow control reports from the transport ------------------------------------------------

/** The transport could not deliver to `id`: stop streaming to it and probe. */
export function reportUnreachable(r: Raft, id: NodeId): void {
  const pr = r.progress.get(id);
  if (r.state === 'leader' && pr !== undefined && pr.state === 'replicate') becomeProbe(pr);
}

/**
 * The transport finished streaming a snapshot to `id` (`ok`) or failed. Either way probe again,
 * paused until the follower answers (after a failure the next probe sends a new snapshot).
 */
export function reportSnapshot(r: Raft, id: NodeId, ok: boolean): void {
  const pr = r.progress.get(id);
  if (r.state !== 'leader' || pr === undefined || pr.state !== 'snapshot') return;
  if (!ok) pr.pendingSnapshot = 0;
  becomeProbe(pr);
  pr.paused = true;
}
