/**
 * A deterministic simulation of a Raft cluster (3 or 5 nodes) and its clients in one process:
 * simulated time (a discrete-event loop), a lossy/duplicating/reordering network with partitions,
 * per-node storage with an unsynced buffer and crashes at chosen points of the driver loop,
 * pauses, leadership transfers, snapshots and compaction, a kv state machine, and clients whose
 * history is checked for linearizability. Everything derives from one seed. See README.md.
 */
import { seededRng, type Rng } from '@shoal/common';
import { RaftNode, type Entry, type Message, type NodeId, type Ready } from '@shoal/raft';
import { checkOperations, kvModel, type KvInput, type KvOp } from '../linearizability/index.js';
import { decodeCommand, encodeCommand, Kv } from './kv.js';
import { SimStorage } from './storage.js';

/** Deliberately broken drivers/clients, to prove that the checks can fail. */
export type SimBug =
  | 'none'
  /** Sends a Ready's messages before writing and fsyncing its state (votes and acks can be forgotten). */
  | 'send-before-persist'
  /** Acknowledges a put as soon as the leader appended it, before it is committed. */
  | 'ack-before-commit'
  /** Serves gets from the local state machine without ReadIndex. */
  | 'stale-read';

export interface FaultRates {
  /** Probability that a message is lost / delivered twice. */
  loss: number;
  duplicate: number;
  /** Probability that a message is held back 50–500 ms (reordering it behind later ones). */
  longDelay: number;
  /** Per-message delay range in ms. */
  minDelayMs: number;
  maxDelayMs: number;
  /** A fault (crash, pause, partition, transfer) is considered every [min, max] ms. */
  faultEveryMs: readonly [number, number];
  /** Relative weights of the fault kinds. */
  crash: number;
  pause: number;
  partition: number;
  transfer: number;
}

export interface SimOptions {
  seed: number;
  nodes?: 3 | 5;
  /** Length of the faulty phase in simulated ms (default 20 000). */
  simulatedMs?: number;
  /** Optional cap on the number of events of the faulty phase. */
  steps?: number;
  /** Concurrent clients (default 3 with 3 nodes, 4 with 5). */
  clients?: number;
  /** Distinct keys (default 3). */
  keys?: number;
  /** A snapshot every N applied entries (default 25), keeping `snapshotTail` entries (default 5). */
  snapshotEvery?: number;
  snapshotTail?: number;
  faults?: Partial<FaultRates>;
  bug?: SimBug;
  /** Keep the whole event trace in the result. */
  verbose?: boolean;
}

export interface SimResult {
  seed: number;
  nodes: number;
  steps: number;
  simulatedMs: number;
  traceHash: string;
  leadersElected: number;
  maxTerm: number;
  committed: number;
  crashes: number;
  crashesLosingWrites: number;
  pauses: number;
  partitions: number;
  transfers: number;
  messagesSent: number;
  messagesLost: number;
  snapshotsTaken: number;
  snapshotsRestored: number;
  opsInvoked: number;
  opsAcked: number;
  opsUnknown: number;
  /** Simulated ms from the final put to its acknowledgement. */
  progressMs: number;
  linearizable: boolean;
  trace?: string[];
}

/** A violated invariant, with what is needed to replay it. */
export class SimFailure extends Error {
  constructor(
    readonly seed: number,
    readonly step: number,
    readonly time: number,
    readonly invariant: string,
    readonly recent: string[],
    /** The whole trace, when the run was verbose. */
    readonly trace?: string[],
    /** Extra `npm run sim` arguments to replay it (nodes, bug). */
    replayArgs = '',
  ) {
    super(`seed ${seed}, step ${step}, t=${time}ms: ${invariant}\nlast events:\n  ${recent.join('\n  ')}\nreplay: npm run sim -- --seed ${seed}${replayArgs} --verbose`);
    this.name = 'SimFailure';
  }
}

const DEFAULT_FAULTS: FaultRates = {
  loss: 0.02,
  duplicate: 0.02,
  longDelay: 0.03,
  minDelayMs: 1,
  maxDelayMs: 30,
  faultEveryMs: [300, 2000],
  crash: 3,
  pause: 2,
  partition: 3,
  transfer: 1,
};

const TICK_MS = 100;
const CLIENT_ATTEMPT_TIMEOUT_MS = 800;
const CLIENT_OP_BUDGET_MS = 6000;
type Stage = 'write' | 'fsync' | 'send' | 'apply';

type Ev =
  | { k: 'tick'; node: NodeId }
  | { k: 'msg'; m: Message }
  | { k: 'creq'; node: NodeId; client: number; attempt: number }
  | { k: 'cresp'; client: number; attempt: number; kind: 'ack' | 'value' | 'retry'; value?: string | null; hint?: NodeId }
  | { k: 'ctimeout'; client: number; attempt: number }
  | { k: 'cnext'; client: number }
  | { k: 'fault' }
  | { k: 'heal' }
  | { k: 'restart'; node: NodeId }
  | { k: 'resume'; node: NodeId }
  | { k: 'crashNow'; node: NodeId; incarnation: number }
  | { k: 'snapReport'; node: NodeId; to: NodeId; ok: boolean };

interface Waiter {
  client: number;
  attempt: number;
}
interface ReadWaiter extends Waiter {
  key: string;
  index: number;
}

interface SimNode {
  id: NodeId;
  up: boolean;
  paused: boolean;
  /** Messages and requests that reached the node while it was paused. */
  held: Ev[];
  raft: RaftNode | undefined;
  storage: SimStorage;
  kv: Kv;
  incarnation: number;
  crashAt: Stage | undefined;
  putWaiters: Map<string, Waiter>;
  readWaiters: Map<string, ReadWaiter>;
  pendingReads: ReadWaiter[];
  checkedCommit: number;
}

interface ClientOp {
  seq: number;
  input: KvInput;
  call: number;
}

interface SimClient {
  id: number;
  seq: number;
  op: ClientOp | undefined;
  attempt: number;
  tries: number;
  target: NodeId;
  leaderGuess: NodeId;
}

interface AckedWrite {
  clientId: number;
  seq: number;
  index: number;
}

/** A binary min-heap of events ordered by (time, insertion order). */
class EventQueue {
  private heap: { t: number; n: number; ev: Ev }[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(t: number, ev: Ev): void {
    const h = this.heap;
    h.push({ t, n: this.counter++, ev });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  pop(): { t: number; ev: Ev } | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: { t: number; n: number }, b: { t: number; n: number }): boolean {
  return a.t < b.t || (a.t === b.t && a.n < b.n);
}

/** Incremental cyrb53-style string hash. */
class TraceHash {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;
  add(s: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ 10, 2654435761);
    this.h1 = h1;
    this.h2 = h2;
  }
  digest(): string {
    let h1 = Math.imul(this.h1 ^ (this.h1 >>> 16), 2246822507) ^ Math.imul(this.h2 ^ (this.h2 >>> 13), 3266489909);
    let h2 = Math.imul(this.h2 ^ (this.h2 >>> 16), 2246822507) ^ Math.imul(this.h1 ^ (this.h1 >>> 13), 3266489909);
    h1 >>>= 0;
    h2 >>>= 0;
    return h2.toString(16).padStart(8, '0') + h1.toString(16).padStart(8, '0');
  }
}

function childSeed(rng: Rng): number {
  return Math.floor(rng.next() * 0x1_0000_0000);
}

function entryKey(e: Entry): string {
  return `${e.term}|${e.type}|${typeof e.data === 'string' ? e.data : `bytes:${e.data.length}`}`;
}

function cloneMessage(m: Message): Message {
  const c: Message = { ...m, entries: m.entries.map((e) => ({ ...e })) };
  if (m.snapshot) c.snapshot = { ...m.snapshot, voters: [...m.snapshot.voters], learners: [...m.snapshot.learners] };
  return c;
}

/** The cluster size `sim` and `sim:many` use for a seed unless told otherwise: even → 3, odd → 5. */
export function nodesForSeed(seed: number): 3 | 5 {
  return seed % 2 === 0 ? 3 : 5;
}

/** One line per result, for the CLI. */
export function summarize(r: SimResult): string {
  return [
    `seed ${r.seed}: ${r.nodes} nodes, ${r.simulatedMs} simulated ms, ${r.steps} steps`,
    `  leaders elected ${r.leadersElected}, max term ${r.maxTerm}, entries committed ${r.committed}`,
    `  crashes ${r.crashes} (${r.crashesLosingWrites} losing unsynced writes), pauses ${r.pauses}, partitions ${r.partitions}, transfers ${r.transfers}`,
    `  messages ${r.messagesSent} sent, ${r.messagesLost} lost; snapshots ${r.snapshotsTaken} taken, ${r.snapshotsRestored} restored from a leader`,
    `  client ops ${r.opsInvoked} invoked, ${r.opsAcked} acknowledged, ${r.opsUnknown} unknown outcome; final put acknowledged in ${r.progressMs} ms`,
    `  linearizable ${r.linearizable ? 'yes' : 'no'}; trace hash ${r.traceHash}`,
  ].join('\n');
}

export function simulate(options: SimOptions): SimResult {
  return new Simulation(options).run();
}

class Simulation {
  private readonly seed: number;
  private readonly n: number;
  private readonly ids: NodeId[];
  private readonly faultCfg: FaultRates;
  private readonly bug: SimBug;
  private readonly opts: SimOptions;
  private readonly snapshotEvery: number;
  private readonly snapshotTail: number;
  private readonly keys: string[];

  private readonly master: Rng;
  private readonly netRng: Rng;
  private readonly faultRng: Rng;
  private readonly clientRng: Rng;

  private now = 0;
  private step = 0;
  private readonly queue = new EventQueue();
  private readonly nodes = new Map<NodeId, SimNode>();
  private readonly clients: SimClient[] = [];
  private attemptCounter = 0;

  private faultsOn = true;
  private clientsOn = true;
  private netFaultsOn = true;
  private readonly blocked = new Set<string>();
  private readonly lossy = new Map<string, number>();
  private partitionActive = false;

  // invariant state
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly committedLog = new Map<number, string>();
  private readonly kvHashAt = new Map<number, string>();
  private readonly firstCommit = new Map<string, number>();
  private readonly acked: AckedWrite[] = [];
  private readonly ackCheckedByTerm = new Map<number, number>();
  private readonly history: KvOp[] = [];

  // trace
  private readonly hash = new TraceHash();
  private readonly recent: string[] = [];
  private readonly fullTrace: string[] | undefined;

  // stats
  private readonly stats = {
    crashes: 0,
    crashesLosingWrites: 0,
    pauses: 0,
    partitions: 0,
    transfers: 0,
    messagesSent: 0,
    messagesLost: 0,
    snapshotsTaken: 0,
    snapshotsRestored: 0,
    opsInvoked: 0,
    opsAcked: 0,
    opsUnknown: 0,
  };

  constructor(opts: SimOptions) {
    this.opts = opts;
    this.seed = opts.seed;
    this.n = opts.nodes ?? 3;
    this.ids = Array.from({ length: this.n }, (_, i) => i + 1);
    this.faultCfg = { ...DEFAULT_FAULTS, ...opts.faults };
    this.bug = opts.bug ?? 'none';
    this.snapshotEvery = opts.snapshotEvery ?? 25;
    this.snapshotTail = opts.snapshotTail ?? 5;
    this.keys = Array.from({ length: opts.keys ?? 3 }, (_, i) => `k${i}`);
    this.master = seededRng(opts.seed);
    this.netRng = seededRng(childSeed(this.master));
    this.faultRng = seededRng(childSeed(this.master));
    this.clientRng = seededRng(childSeed(this.master));
    this.fullTrace = opts.verbose ? [] : undefined;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private int(rng: Rng, lo: number, hi: number): number {
    return lo + Math.floor(rng.next() * (hi - lo + 1));
  }

  private pick<T>(rng: Rng, xs: readonly T[]): T {
    const x = xs[Math.floor(rng.next() * xs.length)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  }

  private trace(line: string): void {
    const l = `${this.now} ${line}`;
    this.hash.add(l);
    this.recent.push(l);
    if (this.recent.length > 40) this.recent.shift();
    this.fullTrace?.push(l);
  }

  private fail(invariant: string): never {
    const args = ` --nodes ${this.n}${this.bug !== 'none' ? ` --bug ${this.bug}` : ''}${this.opts.simulatedMs !== undefined ? ` --ms ${this.opts.simulatedMs}` : ''}`;
    throw new SimFailure(this.seed, this.step, this.now, invariant, [...this.recent], this.fullTrace, args);
  }

  private at(delay: number, ev: Ev): void {
    this.queue.push(this.now + delay, ev);
  }

  private node(id: NodeId): SimNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  // ---- main loop -----------------------------------------------------------------------------

  run(): SimResult {
    for (const id of this.ids) {
      const n: SimNode = {
        id,
        up: false,
        paused: false,
        held: [],
        raft: undefined,
        storage: new SimStorage(),
        kv: new Kv(),
        incarnation: 0,
        crashAt: undefined,
        putWaiters: new Map(),
        readWaiters: new Map(),
        pendingReads: [],
        checkedCommit: 0,
      };
      this.nodes.set(id, n);
      this.start(n);
      this.at(this.int(this.faultRng, 0, TICK_MS - 1), { k: 'tick', node: id });
    }
    const clientCount = this.opts.clients ?? (this.n === 3 ? 3 : 4);
    for (let c = 0; c < clientCount; c++) {
      this.clients.push({ id: c, seq: 0, op: undefined, attempt: 0, tries: 0, target: 0, leaderGuess: 0 });
      this.at(this.int(this.clientRng, 200, 1500), { k: 'cnext', client: c });
    }
    this.at(this.int(this.faultRng, ...this.faultCfg.faultEveryMs), { k: 'fault' });

    // 1. The faulty phase.
    const faultyMs = this.opts.simulatedMs ?? 20_000;
    const maxSteps = this.opts.steps ?? Infinity;
    this.runWhile(() => this.now < faultyMs && this.step < maxSteps);

    // 2. Heal everything; clients stop issuing new operations; run until quiet.
    this.healAll();
    const quietBy = this.now + 30_000;
    this.runWhile(() => !this.quiet() && this.now < quietBy);
    if (!this.quiet()) this.fail(`no progress: cluster did not converge (one leader, every node applied its whole log) 30 s after healing (${this.describeCluster()})`);

    // 3. Progress: a new put is acknowledged within a bounded time.
    const final: SimClient = { id: this.clients.length, seq: 0, op: undefined, attempt: 0, tries: 0, target: 0, leaderGuess: 0 };
    this.clients.push(final);
    const before = this.stats.opsAcked;
    const startedAt = this.now;
    this.issue(final, { kind: 'put', key: this.keys[0]!, value: 'final' });
    const progressBy = this.now + 5_000;
    this.runWhile(() => final.op !== undefined && this.now < progressBy);
    if (this.stats.opsAcked === before) this.fail(`no progress: the final put was not acknowledged within 5 s (${this.describeCluster()})`);
    const progressMs = this.now - startedAt;
    const appliedBy = this.now + 5_000;
    this.runWhile(() => !this.allApplied() && this.now < appliedBy);
    if (!this.allApplied()) this.fail(`nodes did not converge after the final put (${this.describeCluster()})`);
    const hashes = new Set(this.ids.map((id) => this.node(id).kv.hash()));
    if (hashes.size !== 1) this.fail('final kv states differ');

    // 4. Linearizability of the whole client history.
    const lin = checkOperations(kvModel(), this.history, { timeoutMs: 20_000 });
    if (lin.result === 'illegal') this.fail(`history not linearizable:\n${lin.explanation}`);
    if (lin.result === 'unknown') this.fail(`linearizability check gave up: ${lin.reason}`);

    let maxTerm = 0;
    let committed = 0;
    for (const n of this.nodes.values()) {
      const s = n.raft!.status();
      maxTerm = Math.max(maxTerm, s.term);
      committed = Math.max(committed, s.commit);
    }
    return {
      seed: this.seed,
      nodes: this.n,
      steps: this.step,
      simulatedMs: this.now,
      traceHash: this.hash.digest(),
      leadersElected: this.leaderOfTerm.size,
      maxTerm,
      committed,
      ...this.stats,
      progressMs,
      linearizable: true,
      ...(this.fullTrace ? { trace: this.fullTrace } : {}),
    };
  }

  private runWhile(cond: () => boolean): void {
    while (cond()) {
      const next = this.queue.pop();
      if (next === undefined) return;
      this.now = next.t;
      this.step++;
      this.handle(next.ev);
      this.checkInvariants();
    }
  }

  private describeCluster(): string {
    return this.ids
      .map((id) => {
        const n = this.node(id);
        if (!n.up || !n.raft) return `${id}:down`;
        const s = n.raft.status();
        const progress = Object.entries(s.progress ?? {})
          .map(([peer, p]) => `${peer}:${p.state} m${p.match} n${p.next}${p.recentActive ? '' : ' inactive'}`)
          .join(' ');
        return `${id}:${s.state[0]} t${s.term} lead${s.lead} c${s.commit} a${s.applied} l${s.lastIndex} f${s.firstIndex}${n.paused ? ' paused' : ''}${progress ? ` [${progress}]` : ''}`;
      })
      .join(', ');
  }

  private quiet(): boolean {
    let leader: NodeId = 0;
    for (const n of this.nodes.values()) {
      if (!n.up || n.paused || !n.raft) return false;
      if (n.raft.status().state === 'leader') {
        if (leader !== 0) return false;
        leader = n.id;
      }
    }
    if (leader === 0) return false;
    const last = this.node(leader).raft!.status().lastIndex;
    for (const n of this.nodes.values()) {
      const s = n.raft!.status();
      if (s.lead !== leader || s.commit !== last || s.applied !== last || n.kv.applied !== last) return false;
    }
    return this.clients.every((c) => c.op === undefined);
  }

  private allApplied(): boolean {
    const applied = new Set([...this.nodes.values()].map((n) => (n.up ? n.kv.applied : -1)));
    const [a] = [...applied];
    return applied.size === 1 && a !== -1 && a === this.committedMax();
  }

  private committedMax(): number {
    let m = 0;
    for (const n of this.nodes.values()) if (n.raft) m = Math.max(m, n.raft.status().commit);
    return m;
  }

  private handle(ev: Ev): void {
    switch (ev.k) {
      case 'tick': {
        const n = this.node(ev.node);
        this.at(TICK_MS, ev);
        if (!n.up || n.paused || !n.raft) return;
        n.raft.tick();
        this.drive(n);
        return;
      }
      case 'msg':
        return this.deliver(ev);
      case 'creq':
        return this.clientRequest(ev);
      case 'cresp':
        return this.clientResponse(ev);
      case 'ctimeout':
        return this.clientTimeout(ev);
      case 'cnext': {
        const c = this.clients[ev.client]!;
        if (!this.clientsOn || c.op !== undefined) return;
        return this.issue(c, this.randomOp());
      }
      case 'fault':
        return this.fault();
      case 'heal':
        return this.healPartition();
      case 'restart': {
        const n = this.node(ev.node);
        if (!n.up) this.start(n);
        return;
      }
      case 'resume':
        return this.resume(this.node(ev.node));
      case 'snapReport': {
        // The transport tells the leader how streaming its snapshot went.
        // (A paused leader gets it once resumed; a crashed one no longer cares.)
        const n = this.node(ev.node);
        if (!n.up || !n.raft) return;
        if (n.paused) {
          n.held.push(ev);
          return;
        }
        this.trace(`node ${n.id} reportSnapshot(${ev.to}, ${ev.ok})`);
        n.raft.reportSnapshot(ev.to, ev.ok);
        this.drive(n);
        return;
      }
      case 'crashNow': {
        const n = this.node(ev.node);
        if (n.up && n.incarnation === ev.incarnation && n.crashAt !== undefined) this.crash(n, 'idle (pending crash)');
        return;
      }
    }
  }

  // ---- nodes and the driver ------------------------------------------------------------------

  /** Starts (or restarts) a node over its durable storage, rebuilding its kv from the snapshot. */
  private start(n: SimNode): void {
    n.incarnation++;
    const snap = n.storage.durable.snapshot();
    n.kv = Kv.restore(snap.data, snap.index);
    if (snap.index > 0) this.checkKvAt(n, snap.index);
    n.raft = new RaftNode({ id: n.id, peers: this.ids, storage: n.storage.durable, rng: seededRng(childSeed(this.master)) });
    n.up = true;
    n.paused = false;
    n.crashAt = undefined;
    n.held = [];
    n.putWaiters = new Map();
    n.readWaiters = new Map();
    n.pendingReads = [];
    n.checkedCommit = snap.index;
    const hs = n.storage.durable.initialState();
    this.trace(`start ${n.id} #${n.incarnation} term ${hs.term} vote ${hs.vote} commit ${hs.commit} snap ${snap.index} last ${n.storage.durable.lastIndex()}`);
    this.drive(n);
  }

  private crash(n: SimNode, where: string): void {
    const lost = n.storage.crash();
    this.stats.crashes++;
    if (lost > 0) this.stats.crashesLosingWrites++;
    this.trace(`crash ${n.id} ${where}${lost > 0 ? ` (${lost} unsynced writes lost)` : ''}`);
    n.up = false;
    n.paused = false;
    n.raft = undefined;
    n.crashAt = undefined;
    n.held = [];
    n.putWaiters.clear();
    n.readWaiters.clear();
    n.pendingReads = [];
    this.at(this.faultsOn ? this.int(this.faultRng, 200, 3000) : 0, { k: 'restart', node: n.id });
  }

  /** The driver loop: persist → fsync → send → apply → advance, with crashes between stages. */
  private drive(n: SimNode): void {
    const raft = n.raft;
    if (!raft) return;
    const order: Stage[] = this.bug === 'send-before-persist' ? ['send', 'write', 'fsync', 'apply'] : ['write', 'fsync', 'send', 'apply'];
    while (n.up && raft.hasReady()) {
      const rd = raft.ready();
      if (rd.softState) {
        const st = raft.status();
        this.trace(`node ${n.id} ${rd.softState.state} term ${st.term} lead ${rd.softState.lead}`);
        if (rd.softState.state === 'leader') this.noteLeader(n.id, st.term);
      }
      for (const stage of order) {
        if (stage === 'write') n.storage.write(rd);
        else if (stage === 'fsync') n.storage.fsync();
        else if (stage === 'send') for (const m of rd.messages) this.send(m);
        else this.applyReady(n, rd);
        if (n.crashAt === stage && this.crashMatters(stage, rd)) {
          this.crash(n, `after ${stage}`);
          return;
        }
      }
      raft.advance(rd);
      this.maybeSnapshot(n);
    }
  }

  /** A pending crash waits for a Ready where its stage matters (something unsynced, sent, applied). */
  private crashMatters(stage: Stage, rd: Ready): boolean {
    const writes = rd.snapshot !== undefined || rd.hardState !== undefined || rd.entries.length > 0;
    if (stage === 'write') return writes;
    if (stage === 'fsync') return writes && rd.messages.length > 0;
    if (stage === 'send') return rd.messages.length > 0;
    return rd.committedEntries.length > 0 || rd.snapshot !== undefined;
  }

  private applyReady(n: SimNode, rd: Ready): void {
    if (rd.snapshot) {
      const s = rd.snapshot;
      if (s.index <= n.kv.applied) this.fail(`node ${n.id} got a snapshot at ${s.index} at or below its applied ${n.kv.applied}`);
      n.kv = Kv.restore(s.data, s.index);
      this.stats.snapshotsRestored++;
      this.trace(`node ${n.id} restored snapshot ${s.index}`);
      this.checkKvAt(n, s.index);
      this.checkCommitted(n, s.index, undefined);
    }
    for (const e of rd.committedEntries) {
      if (e.index <= n.kv.applied) continue;
      this.checkCommitted(n, e.index, e);
      const cmd = n.kv.apply(e.index, e.data);
      this.checkKvAt(n, e.index);
      if (cmd === undefined) continue;
      const key = `${cmd.clientId}:${cmd.seq}`;
      if (!this.firstCommit.has(key)) this.firstCommit.set(key, e.index);
      const w = n.putWaiters.get(key);
      if (w) {
        n.putWaiters.delete(key);
        this.respond(w, 'ack');
      }
    }
    for (const rs of rd.readStates) {
      const w = n.readWaiters.get(rs.requestCtx);
      if (!w) continue;
      n.readWaiters.delete(rs.requestCtx);
      w.index = rs.index;
      n.pendingReads.push(w);
    }
    n.pendingReads = n.pendingReads.filter((w) => {
      if (w.index > n.kv.applied) return true;
      this.respond(w, 'value', n.kv.get(w.key));
      return false;
    });
  }

  private maybeSnapshot(n: SimNode): void {
    const st = n.storage.durable;
    const applied = n.kv.applied;
    if (applied - st.snapshot().index < this.snapshotEvery) return;
    if (applied > st.initialState().commit) return; // not yet durable as committed
    const { voters, learners } = n.raft!.status();
    st.createSnapshot(applied, { voters, learners }, n.kv.serialize());
    const to = applied - this.snapshotTail;
    if (to >= st.firstIndex()) st.compact(to);
    this.stats.snapshotsTaken++;
    this.trace(`node ${n.id} snapshot ${applied} compact ${to}`);
  }

  // ---- network -------------------------------------------------------------------------------

  private send(m: Message): void {
    this.stats.messagesSent++;
    const link = `${m.from}>${m.to}`;
    const f = this.faultCfg;
    const lossRate = this.netFaultsOn ? Math.max(f.loss, this.lossy.get(link) ?? 0) : 0;
    if (this.blocked.has(link) || this.netRng.next() < lossRate) {
      this.stats.messagesLost++;
      if (m.type === 'MsgSnap') {
        this.trace(`MsgSnap ${m.from}>${m.to} snap${m.snapshot?.index ?? 0} lost`);
        this.at(this.int(this.netRng, 50, 300), { k: 'snapReport', node: m.from, to: m.to, ok: false });
      }
      return;
    }
    const copies = this.netFaultsOn && this.netRng.next() < f.duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      let delay = this.int(this.netRng, f.minDelayMs, f.maxDelayMs);
      if (this.netFaultsOn && this.netRng.next() < f.longDelay) delay += this.int(this.netRng, 50, 500);
      this.at(delay, { k: 'msg', m: cloneMessage(m) });
    }
  }

  private deliver(ev: { k: 'msg'; m: Message }): void {
    const m = ev.m;
    const n = this.node(m.to);
    if (this.blocked.has(`${m.from}>${m.to}`) || !n.up || !n.raft) {
      this.stats.messagesLost++;
      if (m.type === 'MsgSnap') this.at(this.int(this.netRng, 1, 30), { k: 'snapReport', node: m.from, to: m.to, ok: false });
      return;
    }
    if (m.type === 'MsgSnap') this.at(this.int(this.netRng, 1, 30), { k: 'snapReport', node: m.from, to: m.to, ok: true });
    if (n.paused) {
      n.held.push(ev);
      return;
    }
    this.trace(`${m.type} ${m.from}>${m.to} t${m.term} i${m.index} lt${m.logTerm} c${m.commit} n${m.entries.length}${m.reject ? ' rej' : ''}${m.snapshot ? ` snap${m.snapshot.index}` : ''}${m.context ? ` ${m.context}` : ''}`);
    n.raft.step(m);
    this.drive(n);
  }

  // ---- faults --------------------------------------------------------------------------------

  private unavailable(): number {
    return [...this.nodes.values()].filter((n) => !n.up || n.paused || n.crashAt !== undefined).length;
  }

  private leader(): SimNode | undefined {
    let best: SimNode | undefined;
    let bestTerm = -1;
    for (const n of this.nodes.values()) {
      if (!n.up || !n.raft) continue;
      const s = n.raft.status();
      if (s.state === 'leader' && s.term > bestTerm) {
        best = n;
        bestTerm = s.term;
      }
    }
    return best;
  }

  private fault(): void {
    if (!this.faultsOn) return;
    this.at(this.int(this.faultRng, ...this.faultCfg.faultEveryMs), { k: 'fault' });
    const f = this.faultCfg;
    const total = f.crash + f.pause + f.partition + f.transfer;
    let r = this.faultRng.next() * total;
    const rng = this.faultRng;
    const maxDown = Math.floor((this.n - 1) / 2);
    const candidates = [...this.nodes.values()].filter((n) => n.up && !n.paused && n.crashAt === undefined);
    if ((r -= f.crash) < 0) {
      if (this.unavailable() >= maxDown || candidates.length === 0) return;
      const leader = this.leader();
      const n = leader && rng.next() < 0.4 && candidates.includes(leader) ? leader : this.pick(rng, candidates);
      const where = this.pick(rng, ['idle', 'idle', 'write', 'write', 'fsync', 'fsync', 'send', 'apply'] as const);
      if (where === 'idle') this.crash(n, 'idle');
      else {
        n.crashAt = where;
        this.at(500, { k: 'crashNow', node: n.id, incarnation: n.incarnation });
      }
      return;
    }
    if ((r -= f.pause) < 0) {
      if (this.unavailable() >= maxDown || candidates.length === 0) return;
      const n = this.pick(rng, candidates);
      n.paused = true;
      this.stats.pauses++;
      this.trace(`pause ${n.id}`);
      this.at(this.int(rng, 200, 4000), { k: 'resume', node: n.id });
      return;
    }
    if ((r -= f.partition) < 0) {
      if (this.partitionActive) return;
      this.partition();
      return;
    }
    const leader = this.leader();
    if (leader?.raft) {
      const to = this.pick(rng, this.ids.filter((id) => id !== leader.id));
      const ok = leader.raft.transferLeadership(to);
      this.trace(`transfer ${leader.id}->${to} ${ok ? 'started' : 'refused'}`);
      if (ok) this.stats.transfers++;
      this.drive(leader);
    }
  }

  private cut(a: NodeId, b: NodeId): void {
    this.blocked.add(`${a}>${b}`);
  }

  private partition(): void {
    const rng = this.faultRng;
    const kind = this.pick(rng, ['split', 'split', 'isolate-leader', 'asymmetric', 'lossy'] as const);
    const ids = [...this.ids];
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    let desc: string;
    if (kind === 'split' || kind === 'isolate-leader') {
      const leader = this.leader();
      const size = kind === 'isolate-leader' ? 1 : this.int(rng, 1, Math.floor((this.n - 1) / 2));
      const minority = kind === 'isolate-leader' && leader ? [leader.id] : ids.slice(0, size);
      for (const a of minority) {
        for (const b of this.ids) {
          if (minority.includes(b)) continue;
          this.cut(a, b);
          this.cut(b, a);
        }
      }
      desc = `${kind} [${minority.join(',')}] | [${this.ids.filter((id) => !minority.includes(id)).join(',')}]`;
    } else if (kind === 'asymmetric') {
      const a = ids[0]!;
      const outgoing = rng.next() < 0.5;
      for (const b of this.ids) {
        if (b === a) continue;
        if (outgoing) this.cut(a, b);
        else this.cut(b, a);
      }
      desc = `asymmetric: ${a} ${outgoing ? 'cannot send' : 'cannot receive'}`;
    } else {
      const links: string[] = [];
      for (const a of this.ids)
        for (const b of this.ids)
          if (a !== b && rng.next() < 0.4) {
            const rate = 0.3 + 0.6 * rng.next();
            this.lossy.set(`${a}>${b}`, rate);
            links.push(`${a}>${b}:${rate.toFixed(2)}`);
          }
      desc = `lossy ${links.join(' ')}`;
    }
    this.partitionActive = true;
    this.stats.partitions++;
    this.trace(`partition ${desc}`);
    this.at(this.int(rng, 300, 4000), { k: 'heal' });
  }

  private healPartition(): void {
    if (!this.partitionActive) return;
    this.blocked.clear();
    this.lossy.clear();
    this.partitionActive = false;
    this.trace('heal partition');
  }

  private resume(n: SimNode): void {
    if (!n.paused) return;
    n.paused = false;
    this.trace(`resume ${n.id} (${n.held.length} held)`);
    const held = n.held;
    n.held = [];
    for (const ev of held) this.at(this.int(this.netRng, 0, 5), ev);
  }

  private healAll(): void {
    this.faultsOn = false;
    this.clientsOn = false;
    this.netFaultsOn = false;
    this.healPartition();
    this.trace('heal all');
    for (const n of this.nodes.values()) {
      if (n.paused) this.resume(n);
      if (n.crashAt !== undefined) n.crashAt = undefined;
      if (!n.up) this.start(n);
    }
  }

  // ---- clients -------------------------------------------------------------------------------

  private randomOp(): KvInput {
    const key = this.pick(this.clientRng, this.keys);
    if (this.clientRng.next() < 0.55) return { kind: 'put', key, value: '' };
    return { kind: 'get', key };
  }

  private issue(c: SimClient, input: KvInput): void {
    c.seq++;
    const op: ClientOp = { seq: c.seq, input: input.kind === 'put' ? { ...input, value: input.value || `${c.id}.${c.seq}` } : input, call: this.now };
    c.op = op;
    c.tries = 0;
    this.stats.opsInvoked++;
    this.trace(`client ${c.id} invoke #${op.seq} ${JSON.stringify(op.input)}`);
    this.attempt(c);
  }

  private attempt(c: SimClient): void {
    c.attempt = ++this.attemptCounter;
    c.tries++;
    c.target = c.leaderGuess !== 0 ? c.leaderGuess : this.pick(this.clientRng, this.ids);
    this.at(this.int(this.clientRng, 1, 10), { k: 'creq', node: c.target, client: c.id, attempt: c.attempt });
    this.at(CLIENT_ATTEMPT_TIMEOUT_MS, { k: 'ctimeout', client: c.id, attempt: c.attempt });
  }

  private respond(w: Waiter, kind: 'ack' | 'value' | 'retry', value?: string | null, hint?: NodeId): void {
    this.at(this.int(this.clientRng, 1, 10), { k: 'cresp', client: w.client, attempt: w.attempt, kind, value, hint });
  }

  private clientRequest(ev: { k: 'creq'; node: NodeId; client: number; attempt: number }): void {
    const n = this.node(ev.node);
    const c = this.clients[ev.client]!;
    if (!n.up || !n.raft) return; // the client times out
    if (n.paused) {
      n.held.push(ev);
      return;
    }
    const op = c.op;
    if (op === undefined || c.attempt !== ev.attempt) return;
    const w: Waiter = { client: c.id, attempt: ev.attempt };
    const raft = n.raft;
    if (op.input.kind === 'put') {
      const key = `${c.id}:${op.seq}`;
      if (n.kv.seqOf(c.id) >= op.seq) return this.respond(w, 'ack'); // applied here already
      const ok = raft.propose(encodeCommand({ clientId: c.id, seq: op.seq, op: { kind: 'put', key: op.input.key, value: op.input.value } }));
      this.trace(`node ${n.id} propose ${key} ${ok ? 'ok' : 'dropped'}`);
      if (!ok) return this.respond(w, 'retry', undefined, raft.status().lead);
      if (this.bug === 'ack-before-commit' && raft.status().state === 'leader') {
        this.acked.push({ clientId: c.id, seq: op.seq, index: raft.status().lastIndex });
        this.respond(w, 'ack');
      } else n.putWaiters.set(key, w);
      this.drive(n);
      return;
    }
    if (op.input.kind !== 'get') throw new Error('only put and get are simulated');
    if (this.bug === 'stale-read') return this.respond(w, 'value', n.kv.get(op.input.key));
    const ctx = `${c.id}:${op.seq}:${ev.attempt}`;
    const ok = raft.readIndex(ctx);
    this.trace(`node ${n.id} readIndex ${ctx} ${ok ? 'ok' : 'dropped'}`);
    if (!ok) return this.respond(w, 'retry', undefined, raft.status().lead);
    n.readWaiters.set(ctx, { ...w, key: op.input.key, index: 0 });
    this.drive(n);
  }

  private clientResponse(ev: { k: 'cresp'; client: number; attempt: number; kind: 'ack' | 'value' | 'retry'; value?: string | null; hint?: NodeId }): void {
    const c = this.clients[ev.client]!;
    const op = c.op;
    if (op === undefined || ev.attempt !== c.attempt) return; // a late answer to an abandoned attempt
    if (ev.kind === 'retry') {
      c.leaderGuess = ev.hint !== undefined && ev.hint !== 0 && ev.hint !== c.target ? ev.hint : this.pick(this.clientRng, this.ids.filter((id) => id !== c.target));
      c.attempt = ++this.attemptCounter; // the pending timeout no longer applies
      if (this.now - op.call > CLIENT_OP_BUDGET_MS) return this.giveUp(c);
      this.at(50, { k: 'ctimeout', client: c.id, attempt: c.attempt });
      return;
    }
    c.leaderGuess = c.target;
    const output = ev.kind === 'ack' ? undefined : (ev.value ?? null);
    if (op.input.kind === 'put') {
      const key = `${c.id}:${op.seq}`;
      const index = this.firstCommit.get(key);
      if (this.bug !== 'ack-before-commit') {
        if (index === undefined) this.fail(`put ${key} acknowledged but never applied anywhere`);
        this.acked.push({ clientId: c.id, seq: op.seq, index });
      }
    }
    this.history.push({ clientId: c.id, input: op.input, call: op.call, output, return: this.now });
    this.stats.opsAcked++;
    this.trace(`client ${c.id} ok #${op.seq}${op.input.kind === 'get' ? ` -> ${JSON.stringify(output)}` : ''}`);
    this.finish(c);
  }

  private clientTimeout(ev: { k: 'ctimeout'; client: number; attempt: number }): void {
    const c = this.clients[ev.client]!;
    if (c.op === undefined || ev.attempt !== c.attempt) return;
    if (this.now - c.op.call > CLIENT_OP_BUDGET_MS) return this.giveUp(c);
    if (c.leaderGuess === c.target) c.leaderGuess = this.pick(this.clientRng, this.ids.filter((id) => id !== c.target));
    this.attempt(c);
  }

  /** The outcome is unknown: a put may take effect at any later time, a get constrains nothing. */
  private giveUp(c: SimClient): void {
    const op = c.op!;
    if (op.input.kind === 'put') this.history.push({ clientId: c.id, input: op.input, call: op.call, output: undefined, return: Infinity });
    this.stats.opsUnknown++;
    this.trace(`client ${c.id} gave up #${op.seq}`);
    this.finish(c);
  }

  private finish(c: SimClient): void {
    c.op = undefined;
    c.attempt = ++this.attemptCounter;
    if (this.clientsOn) this.at(this.int(this.clientRng, 0, 60), { k: 'cnext', client: c.id });
  }

  // ---- invariants ----------------------------------------------------------------------------

  private noteLeader(id: NodeId, term: number): void {
    const prev = this.leaderOfTerm.get(term);
    if (prev === undefined) {
      this.leaderOfTerm.set(term, id);
      this.trace(`leader ${id} term ${term}`);
    } else if (prev !== id) this.fail(`two leaders in term ${term}: ${prev} and ${id}`);
  }

  /** The committed log is one: an index committed anywhere holds the same entry everywhere. */
  private checkCommitted(n: SimNode, index: number, e: Entry | undefined): void {
    if (e === undefined) return;
    const k = entryKey(e);
    const prev = this.committedLog.get(index);
    if (prev === undefined) this.committedLog.set(index, k);
    else if (prev !== k) this.fail(`committed entry ${index} differs: node ${n.id} has ${k}, committed was ${prev}`);
  }

  private checkKvAt(n: SimNode, index: number): void {
    const h = n.kv.hash();
    const prev = this.kvHashAt.get(index);
    if (prev === undefined) this.kvHashAt.set(index, h);
    else if (prev !== h) this.fail(`kv state of node ${n.id} at applied ${index} differs: ${h} vs ${prev}`);
  }

  private checkInvariants(): void {
    for (const n of this.nodes.values()) {
      if (!n.up || !n.raft) continue;
      const s = n.raft.status();
      if (s.state === 'leader') this.noteLeader(n.id, s.term);
      if (s.commit > n.checkedCommit) {
        const lo = Math.max(n.checkedCommit + 1, s.firstIndex);
        if (lo <= s.commit) for (const e of n.raft.entries(lo, s.commit + 1)) this.checkCommitted(n, e.index, e);
        n.checkedCommit = s.commit;
      }
      if (s.state === 'leader') this.checkAcked(n, s.term, s.commit, s.firstIndex);
    }
  }

  /** Every acknowledged put is in the log (or snapshot) of each leader that has committed its index. */
  private checkAcked(n: SimNode, term: number, commit: number, firstIndex: number): void {
    let i = this.ackCheckedByTerm.get(term) ?? 0;
    while (i < this.acked.length) {
      const a = this.acked[i]!;
      if (a.index > commit) break;
      if (a.index >= firstIndex) {
        const [e] = n.raft!.entries(a.index, a.index + 1);
        const cmd = e && decodeCommand(e.data);
        if (!cmd || cmd.clientId !== a.clientId || cmd.seq !== a.seq) {
          this.fail(`acknowledged put ${a.clientId}:${a.seq} at index ${a.index} lost: leader ${n.id} of term ${term} has ${e ? entryKey(e) : 'nothing'} there`);
        }
      } else if (n.kv.applied >= a.index) {
        if (n.kv.seqOf(a.clientId) < a.seq) this.fail(`acknowledged put ${a.clientId}:${a.seq} (index ${a.index}) missing from leader ${n.id}'s snapshot`);
      } else break;
      i++;
    }
    this.ackCheckedByTerm.set(term, i);
  }
}
