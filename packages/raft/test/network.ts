import { seededRng, type Rng } from '@shoal/common';
import { decodeConfChange, MemoryStorage, RaftNode, type ConfState, type Entry, type Message, type NodeId, type RaftNodeConfig, type ReadState } from '../src/index.js';

/** One simulated member: the node, its storage and what it has applied. */
export interface Member {
  node: RaftNode;
  storage: MemoryStorage;
  applied: Entry[];
  /** Every ReadState its Readys returned. */
  readStates: ReadState[];
  /** How many snapshots from a leader it restored. */
  snapshotsRestored: number;
  /** The configurations it applied, each with the index it took effect at (oldest first). */
  confs: { index: number; conf: ConfState }[];
}

export interface NetworkOptions {
  seed?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  storages?: Map<NodeId, MemoryStorage>;
  /** Message faults, drawn from their own generator so node randomness is unaffected. */
  faults?: { rng: Rng; drop: number; duplicate: number; reorder: boolean };
  /** Extra node settings (flow control, learners). */
  config?: Partial<Omit<RaftNodeConfig, 'id' | 'storage' | 'rng'>>;
}

/**
 * Nodes in one process over a network that delivers every message unless its link is cut.
 * Everything is driven step by step by the test; nothing runs on its own.
 */
export class Network {
  readonly members = new Map<NodeId, Member>();
  /** Every message sent, in order, for reproducibility checks. */
  readonly trace: string[] = [];
  private readonly cut = new Set<string>();
  /** When set, messages for which it returns false are lost. */
  filter: ((m: Message) => boolean) | undefined;
  private queue: Message[] = [];
  private readonly faults: NetworkOptions['faults'];
  private readonly opts: NetworkOptions;

  constructor(ids: readonly NodeId[], opts: NetworkOptions = {}) {
    this.faults = opts.faults;
    this.opts = opts;
    const rng = seededRng(opts.seed ?? 1);
    for (const id of ids) this.start(id, ids, rng, opts.storages?.get(id) ?? new MemoryStorage());
  }

  private start(id: NodeId, peers: readonly NodeId[], rng: Rng, storage: MemoryStorage): Member {
    const o = this.opts;
    const cfg = { preVote: o.preVote ?? true, checkQuorum: o.checkQuorum ?? true, peers, ...o.config };
    const node = new RaftNode({ ...cfg, id, storage, rng });
    const conf = { voters: [...(cfg.peers ?? [])], learners: [...(cfg.learners ?? [])] };
    const member: Member = { node, storage, applied: [], readStates: [], snapshotsRestored: 0, confs: [{ index: 0, conf }] };
    this.members.set(id, member);
    return member;
  }

  /** Starts a node that joins the existing cluster: no configuration, an empty log. */
  addNode(id: NodeId): Member {
    if (this.members.has(id)) throw new Error(`node ${id} exists`);
    return this.start(id, [], seededRng((this.opts.seed ?? 1) * 1000 + id), new MemoryStorage());
  }

  member(id: NodeId): Member {
    const m = this.members.get(id);
    if (m === undefined) throw new Error(`no node ${id}`);
    return m;
  }

  node(id: NodeId): RaftNode {
    return this.member(id).node;
  }

  /** Cuts every link between `group` and the other nodes. */
  isolate(...group: NodeId[]): void {
    for (const a of group) {
      for (const b of this.members.keys()) {
        if (group.includes(b)) continue;
        this.cut.add(`${a}-${b}`);
        this.cut.add(`${b}-${a}`);
      }
    }
  }

  heal(): void {
    this.cut.clear();
  }

  /** Ticks every node once, then delivers until the network is quiet. */
  tick(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const m of this.members.values()) m.node.tick();
      this.settle();
    }
  }

  /** Processes Readys and delivers messages until no node has anything left to do. */
  settle(): void {
    for (let rounds = 0; rounds < 10_000; rounds++) {
      this.collect();
      const batch = this.disturb(this.queue);
      this.queue = [];
      if (batch.length === 0) return;
      for (const msg of batch) this.deliver(msg);
    }
    throw new Error('network did not settle');
  }

  private collect(): void {
    for (const m of this.members.values()) {
      while (m.node.hasReady()) {
        const rd = m.node.ready();
        if (rd.snapshot) {
          m.storage.applySnapshot(rd.snapshot);
          m.applied = decodeApplied(rd.snapshot.data);
          m.snapshotsRestored++;
          m.confs.push({ index: rd.snapshot.index, conf: { voters: rd.snapshot.voters, learners: rd.snapshot.learners } });
        }
        if (rd.hardState) m.storage.setHardState(rd.hardState);
        m.storage.append(rd.entries);
        this.queue.push(...rd.messages);
        for (const e of rd.committedEntries) {
          m.applied.push(e);
          if (e.type === 'conf') m.confs.push({ index: e.index, conf: m.node.applyConfChange(decodeConfChange(e.data)) });
        }
        m.readStates.push(...rd.readStates);
        m.node.advance(rd);
      }
    }
  }

  /** Drops, duplicates and shuffles a batch of messages when faults are configured. */
  private disturb(batch: Message[]): Message[] {
    const f = this.faults;
    if (f === undefined) return batch;
    const out: Message[] = [];
    for (const m of batch) {
      if (f.rng.next() < f.drop) {
        if (m.type === 'MsgSnap') this.members.get(m.from)?.node.reportSnapshot(m.to, false);
        continue;
      }
      out.push(m);
      if (f.rng.next() < f.duplicate) out.push(m);
    }
    if (f.reorder) {
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(f.rng.next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
    }
    return out;
  }

  private deliver(msg: Message): void {
    this.trace.push(`${msg.type} ${msg.from}->${msg.to} t${msg.term} i${msg.index} lt${msg.logTerm} c${msg.commit} n${msg.entries.length}${msg.reject ? ' reject' : ''}`);
    const to = this.members.get(msg.to);
    const delivered = to !== undefined && !this.cut.has(`${msg.from}-${msg.to}`) && (this.filter === undefined || this.filter(msg));
    if (delivered) to.node.step(msg);
    // The transport reports how streaming a snapshot ended (a dropped message counts as failed).
    if (msg.type === 'MsgSnap') this.members.get(msg.from)?.node.reportSnapshot(msg.to, delivered);
  }

  /**
   * What a driver does every N entries: snapshot the state machine (the applied list itself) at
   * `index` (default: everything applied) and compact the log up to it.
   */
  compact(id: NodeId, index = this.member(id).node.status().applied): void {
    const m = this.member(id);
    if (index <= m.storage.snapshot().index) return;
    const data = encodeApplied(m.applied.filter((e) => e.index <= index));
    m.storage.createSnapshot(index, confAt(m, index), data);
    m.storage.compact(index);
  }

  leaders(): NodeId[] {
    return [...this.members.entries()].filter(([, m]) => m.node.status().state === 'leader').map(([id]) => id);
  }

  /** Ticks until exactly one node leads (and the others follow it), failing after `limit` ticks. */
  electLeader(limit = 200): NodeId {
    for (let i = 0; i < limit; i++) {
      this.tick();
      const [leader, ...others] = this.leaders();
      if (leader !== undefined && others.length === 0) return leader;
    }
    throw new Error('no leader elected');
  }
}

/** The configuration `m` had applied at `index`. */
export function confAt(m: Member, index: number): ConfState {
  const at = m.confs.filter((c) => c.index <= index).at(-1);
  if (at === undefined) throw new Error(`no configuration at ${index}`);
  return at.conf;
}

/** The data of applied normal entries, skipping the leaders' empty entries. */
export function appliedData(m: Member): (string | Uint8Array)[] {
  return m.applied.filter((e) => typeof e.data === 'string' || e.data.length > 0).map((e) => e.data);
}

type EncodedEntry = Omit<Entry, 'data'> & { data: string | number[]; bytes: boolean };

/** The test state machine's snapshot: its applied list, with byte data kept as bytes. */
export function encodeApplied(applied: readonly Entry[]): string {
  return JSON.stringify(applied.map((e): EncodedEntry => (typeof e.data === 'string' ? { ...e, data: e.data, bytes: false } : { ...e, data: [...e.data], bytes: true })));
}

export function decodeApplied(data: string | Uint8Array): Entry[] {
  if (typeof data !== 'string') throw new Error('test snapshots are strings');
  return (JSON.parse(data) as EncodedEntry[]).map(({ bytes, data: d, ...e }) => ({ ...e, data: bytes ? new Uint8Array(d as number[]) : (d as string) }));
}
