import { acknowledge, backOff, quorumMatch, type ProgressMap } from './progress.js';
import type { RaftLog } from './raft-log.js';
import { message, type Message, type NodeId } from './types.js';

/** The part of a Raft node that log replication reads and writes. */
export interface ReplicationHost {
  readonly id: NodeId;
  readonly term: number;
  readonly log: RaftLog;
  /** The leader's per-follower progress (empty unless leader). */
  readonly progress: ProgressMap;
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
  r.send(message({ ...reply, index: r.log.lastIndex() }));
}

// ---- leader side -------------------------------------------------------------------------------

/** Commits the highest index on a quorum, but only if it is of the leader's term (§5.4.2). */
export function maybeCommit(r: ReplicationHost): boolean {
  const index = quorumMatch([...r.progress.values()].map((pr) => pr.match));
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
  if (!acknowledge(pr, m.index)) return undefined;
  if (maybeCommit(r)) return 'committed';
  if (pr.next <= r.log.lastIndex()) sendAppend(r, m.from);
  return 'acked';
}

export function broadcastAppend(r: ReplicationHost): void {
  for (const peer of r.progress.keys()) if (peer !== r.id) sendAppend(r, peer);
}

export function sendAppend(r: ReplicationHost, to: NodeId): void {
  const pr = r.progress.get(to);
  if (pr === undefined || pr.paused) return;
  const prev = pr.next - 1;
  const logTerm = r.log.term(prev);
  if (pr.next < r.log.firstIndex() || logTerm === undefined) {
    sendSnapshot(r, to);
    return;
  }
  const entries = r.log.slice(pr.next, r.log.lastIndex() + 1);
  r.send(message({ type: 'MsgApp', from: r.id, to, term: r.term, index: prev, logTerm, entries, commit: r.log.committed }));
  if (pr.state === 'replicate') pr.next = prev + entries.length + 1;
  else pr.paused = true;
}

/**
 * The follower needs compacted entries: send the whole snapshot (one message in this slice) and
 * wait, as in probe, until it answers. We continue optimistically after the snapshot; if it was
 * lost, the follower rejects the next append and the back-off sends the snapshot again.
 */
function sendSnapshot(r: ReplicationHost, to: NodeId): void {
  const pr = r.progress.get(to);
  if (pr === undefined) return;
  const snapshot = r.log.snapshot();
  r.send(message({ type: 'MsgSnap', from: r.id, to, term: r.term, index: snapshot.index, logTerm: snapshot.term, snapshot }));
  pr.state = 'probe';
  pr.next = snapshot.index + 1;
  pr.paused = true;
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
