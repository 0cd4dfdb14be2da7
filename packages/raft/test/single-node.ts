import { seededRng } from '@shoal/common';
import { decodeConfChange, MemoryStorage, message, RaftNode, type Message, type NodeId, type Ready } from '../src/index.js';

/** One node driven by hand: messages to it are built by the test, its output is inspected. */
export interface Solo {
  node: RaftNode;
  storage: MemoryStorage;
  /** Every message the node sent, in order. */
  sent: Message[];
}

/** Persists, applies (conf entries included) and advances until the node has nothing to do. */
export function drain(s: Solo): Ready[] {
  const out: Ready[] = [];
  while (s.node.hasReady()) {
    const rd = s.node.ready();
    if (rd.snapshot) s.storage.applySnapshot(rd.snapshot);
    if (rd.hardState) s.storage.setHardState(rd.hardState);
    s.storage.append(rd.entries);
    s.sent.push(...rd.messages);
    for (const e of rd.committedEntries) if (e.type === 'conf') s.node.applyConfChange(decodeConfChange(e.data));
    s.node.advance(rd);
    out.push(rd);
  }
  return out;
}

/** Node 1 elected leader of `peers` by the votes of the next quorum - 1 peers (no entry acknowledged yet). */
export function soloLeader(peers: NodeId[], storage = new MemoryStorage(), extra: Partial<ConstructorParameters<typeof RaftNode>[0]> = {}): Solo {
  const s: Solo = { node: new RaftNode({ id: 1, peers, storage, rng: seededRng(5), ...extra }), storage, sent: [] };
  s.node.campaign();
  const term = s.node.status().term + 1;
  const voters = peers.filter((p) => p !== 1).slice(0, Math.floor(peers.length / 2));
  for (const p of voters) s.node.step(message({ type: 'MsgPreVoteResp', from: p, to: 1, term }));
  for (const p of voters) s.node.step(message({ type: 'MsgVoteResp', from: p, to: 1, term }));
  if (s.node.status().state !== 'leader') throw new Error('not elected');
  drain(s);
  return s;
}

/** A follower's acknowledgement of everything up to `index`. */
export function ack(s: Solo, from: NodeId, index: number): void {
  s.node.step(message({ type: 'MsgAppResp', from, to: 1, term: s.node.status().term, index }));
  drain(s);
}

/** Messages sent to `to` since `since` (an index into `sent`). */
export function sentTo(s: Solo, to: NodeId, since = 0): Message[] {
  return s.sent.slice(since).filter((m) => m.to === to);
}
