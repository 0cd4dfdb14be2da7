import type { Membership } from './membership.js';
import { acknowledge, backOff, becomeSnapshot, isPaused, quorumMatch, type ProgressMap } from './progress.js';
import type { RaftLog } from './raft-log.js';
import { dataSize, message, type Entry, type Message, type NodeId } from './types.js';

/** The part of a Raft node that log replication reads and writes. */
export interface ReplicationHost {
  readonly id: NodeId;
  readonly term: number;
  readonly log: RaftLog;
  /** The configuration in force (a restored snapshot replaces it). */
  readonly conf: Membership;
  /** The leader's per-follower progress (empty unless leader). */
  readonly progress: ProgressMap;
  /** Bytes of entry data per MsgApp (at least one entry is always sent). */
  readonly maxSizePerMsg: number;
  send(m: Message): void;
}

// ---- follower side -----------------------------------------------------------------------------

/** Handles MsgApp: log-matching check, conflict truncation, commit, and the answer. */
export function handleAppend(r: ReplicationHost, m: Message): void {
  const reply = { type: 'MsgAppResp' as const, from: r.id, to: m.from, term: r.term };
  if (m.index < r.log.committed) {
    r.send(message({ ...reply, index: r.log.committed }));
    return;
  }
  const lastNew = r.log.maybeAppend(m.index, m.logTerm, m.entries);
  if (lastNew === undefined) {
    r.send(message({ ...reply, index: m.index, reject: true, rejectHint: r.log.lastIndex() }));
    return;
  }
  r.log.commitTo(Math.min(m.commit, lastNew));
  r.send(message({ ...reply, index: lastNew }));
}

/**
 * Handles MsgSnap: restores a snapshot newer than our commit index (the driver gets it in
 * Ready.snapshot), and acknowledges up to what we now have so the leader resumes after it.
 */
export function handleSnapshot(r: ReplicationHost, m: Message): void {
  const reply = { type: 'MsgAppResp' as const, from: r.id, to: m.from, term: r.term };
  const snap = m.snapshot;
  if (snap === undefined || snap.index <= r.log.committed) {
    // Stale: everything in it is already committed here.
    r.send(message({ ...reply, index: r.log.committed }));
    return;
  }
  if (r.log.matchTerm(snap.index, snap.term)) {
    // We already hold the snapshot's last entry, hence (log matching) everything before it.
    r.log.commitTo(snap.index);
    r.send(message({ ...reply, index: r.log.committed }));
    return;
  }
  r.log.restore(snap);
  r.conf.restore({ voters: snap.voters, learners: snap.learners });
  r.send(message({ ...reply, index: r.log.lastIndex() }));
}

// ---- leader side -------------------------------------------------------------------------------

/**
 * Commits the highest index on a quorum of voters (learners do not count), but only if it is of
 * the leader's term (§5.4.2).
 */
export function maybeCommit(r: ReplicationHost): boolean {
  if (r.conf.voters.size === 0) return false;
  const matches = [...r.conf.voters].map((v) => r.progress.get(v)?.match ?? 0);
  const index = quorumMatch(matches);
  if (index <= r.log.committed || r.log.term(index) !== r.term) return false;
  return r.log.commitTo(index);
}

/**
 * Applies a MsgAppResp to the sender's progress, resending or backing off as needed. Returns
 * 'committed' when it advanced the commit index (the caller broadcasts), 'acked' when it only
 * advanced the follower's match, or undefined.
 */
export function handleAppendResponse(r: ReplicationHost, m: Message): 'committed' | 'acked' | undefined {
  const pr = r.progress.get(m.from);
  if (pr === undefined) return undefined;
  if (m.reject) {
    if (backOff(pr, m.index, m.rejectHint)) sendAppend(r, m.from);
    return undefined;
  }
  if (!acknowledge(pr, m.index, r.log.firstIndex())) return undefined;
  if (maybeCommit(r)) return 'committed';
  if (pr.next <= r.log.lastIndex()) sendAppend(r, m.from);
  return 'acked';
}

export function broadcastAppend(r: ReplicationHost): void {
  for (const peer of r.progress.keys()) if (peer !== r.id) sendAppend(r, peer);
}

/**
 * Sends `to` the entries from its `next` (at most `maxSizePerMsg` bytes of them), or the snapshot
 * when they are compacted. Nothing while its progress is paused: a probe in flight, a full
 * inflights window, or a snapshot not yet acknowledged.
 */
export function sendAppend(r: ReplicationHost, to: NodeId): void {
  const pr = r.progress.get(to);
  if (pr === undefined || isPaused(pr)) return;
  const prev = pr.next - 1;
  const logTerm = r.log.term(prev);
  if (needsSnapshot(r, pr.next, pr.match) || logTerm === undefined) {
    sendSnapshot(r, to);
    return;
  }
  const entries = limitSize(r.log.slice(pr.next, r.log.lastIndex() + 1), r.maxSizePerMsg);
  r.send(message({ type: 'MsgApp', from: r.id, to, term: r.term, index: prev, logTerm, entries, commit: r.log.committed }));
  const last = entries.at(-1);
  if (pr.state === 'probe') {
    pr.paused = true;
  } else if (last !== undefined) {
    pr.next = last.index + 1;
    pr.inflights.add(last.index);
  }
}

/**
 * The follower needs compacted entries, or it has an empty log (a new member) and we hold a
 * snapshot: it learns the configuration from it.
 */
function needsSnapshot(r: ReplicationHost, next: number, match: number): boolean {
  return next < r.log.firstIndex() || (next === 1 && match === 0 && r.log.snapshot().index > 0);
}

/** The longest prefix of `entries` within `maxSize` bytes of data, and never less than one entry. */
function limitSize(entries: Entry[], maxSize: number): Entry[] {
  let size = 0;
  for (let i = 0; i < entries.length; i++) {
    size += dataSize(entries[i]!.data);
    if (size > maxSize && i > 0) return entries.slice(0, i);
  }
  return entries;
}

/**
 * Sends the whole snapshot (one message until the transport chunks it) and holds appends in
 * `snapshot` state until the follower acknowledges it or the driver reports the outcome
 * (`reportSnapshot`).
 */
function sendSnapshot(r: ReplicationHost, to: NodeId): void {
  const pr = r.progress.get(to);
  if (pr === undefined) return;
  const snapshot = r.log.snapshot();
  r.send(message({ type: 'MsgSnap', from: r.id, to, term: r.term, index: snapshot.index, logTerm: snapshot.term, snapshot }));
  becomeSnapshot(pr, snapshot.index);
}

/** Heartbeats to every follower; `context` names the newest read request awaiting confirmation. */
export function broadcastHeartbeat(r: ReplicationHost, context: string): void {
  for (const [peer, pr] of r.progress) {
    if (peer === r.id) continue;
    // A follower may only learn a commit index its log is known to reach.
    const commit = Math.min(pr.match, r.log.committed);
    r.send(message({ type: 'MsgHeartbeat', from: r.id, to: peer, term: r.term, commit, context }));
  }
}
