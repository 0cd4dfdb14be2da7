import { seededRng } from '@shoal/common';
import { decodeConfChange, MemoryStorage, message, RaftNode, type Entry, type HardState, type Message, type MessageType, type NodeId } from '../../src/index.js';

/** One node under test: the RaftNode, its storage and the entries it applied. */
export interface TestNode {
  id: NodeId;
  node: RaftNode;
  storage: MemoryStorage;
  applied: Entry[];
}

export interface NodeOptions {
  /** The voters of the cluster (default 1, 2, 3). */
  peers?: NodeId[];
  learners?: NodeId[];
  election?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  seed?: number;
  /** Entries (index from 1, consecutive) and hard state to start from, as if restarted. */
  log?: { term: number; data?: string }[];
  hardState?: HardState;
  storage?: MemoryStorage;
}

/**
 * A node for the paper's claims: plain Raft (no PreVote, no CheckQuorum) unless asked, so that
 * the rules of the paper apply as written.
 */
export function newNode(id: NodeId, opts: NodeOptions = {}): TestNode {
  const storage = opts.storage ?? new MemoryStorage();
  if (opts.log !== undefined) storage.append(opts.log.map((e, i) => ({ term: e.term, index: i + 1, type: 'normal' as const, data: e.data ?? '' })));
  if (opts.hardState !== undefined) storage.setHardState(opts.hardState);
  const node = new RaftNode({
    id,
    peers: opts.peers ?? [1, 2, 3],
    learners: opts.learners ?? [],
    storage,
    rng: seededRng(opts.seed ?? 7 + id),
    electionTicks: opts.election ?? 10,
    heartbeatTicks: 1,
    preVote: opts.preVote ?? false,
    checkQuorum: opts.checkQuorum ?? false,
  });
  return { id, node, storage, applied: [] };
}

/** Runs the driver loop until the node has nothing to do; returns the messages it sent. */
export function drain(n: TestNode): Message[] {
  const out: Message[] = [];
  while (n.node.hasReady()) {
    const rd = n.node.ready();
    if (rd.snapshot) n.storage.applySnapshot(rd.snapshot);
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    n.storage.append(rd.entries);
    out.push(...rd.messages);
    for (const e of rd.committedEntries) {
      n.applied.push(e);
      if (e.type === 'conf') n.node.applyConfChange(decodeConfChange(e.data));
    }
    n.node.advance(rd);
  }
  return out;
}

/** Steps every message addressed to `n` into it. */
export function deliver(n: TestNode, msgs: readonly Message[]): void {
  for (const m of msgs) if (m.to === n.id) n.node.step(m);
}

export function ofType(msgs: readonly Message[], type: MessageType): Message[] {
  return msgs.filter((m) => m.type === type);
}

/** A small cluster with hand-driven delivery: `flush` delivers until nobody has anything to say. */
export class Cluster {
  readonly nodes = new Map<NodeId, TestNode>();
  /** Messages to these nodes are lost. */
  readonly down = new Set<NodeId>();

  constructor(ids: NodeId[], opts: NodeOptions = {}) {
    for (const id of ids) this.nodes.set(id, newNode(id, { peers: ids, ...opts }));
  }

  get(id: NodeId): TestNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  node(id: NodeId): RaftNode {
    return this.get(id).node;
  }

  /** Delivers messages (and the answers they cause) until the cluster is quiet. */
  flush(filter: (m: Message) => boolean = () => true): void {
    for (let round = 0; round < 1000; round++) {
      const msgs: Message[] = [];
      for (const n of this.nodes.values()) msgs.push(...drain(n));
      const live = msgs.filter((m) => !this.down.has(m.to) && !this.down.has(m.from) && filter(m));
      if (live.length === 0) return;
      for (const m of live) this.nodes.get(m.to)?.node.step(m);
    }
    throw new Error('cluster did not settle');
  }

  /** Node `id` campaigns and the cluster settles. */
  elect(id: NodeId): void {
    this.node(id).campaign();
    this.flush();
  }

  log(id: NodeId): { term: number; index: number; data: string }[] {
    const s = this.node(id).status();
    return this.node(id).entries(s.firstIndex, s.lastIndex + 1).map((e) => ({ term: e.term, index: e.index, data: typeof e.data === 'string' ? e.data : '' }));
  }
}

/** A message from a peer, for stepping by hand. */
export function msg(fields: Pick<Message, 'type' | 'from' | 'to'> & Partial<Message>): Message {
  return message(fields);
}

export function entry(term: number, index: number, data = ''): Entry {
  return { term, index, type: 'normal', data };
}
