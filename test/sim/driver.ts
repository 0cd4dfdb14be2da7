/**
 * The nodes and their driver loop over `SimStorage`: start/restart from durable state, crashes
 * (idle or between driver stages, losing unsynced writes), applying to the kv, snapshots.
 */
import { seededRng } from '@shoal/common';
import { RaftNode, type NodeId, type Ready, type Snapshot } from '@shoal/raft';
import type { Ev, EvOf } from './events.js';
import { Kv } from './kv.js';
import { childSeed, randInt } from './rng.js';
import { SimStorage } from './storage.js';
import type { World } from './world.js';

export const TICK_MS = 100;

export type Stage = 'write' | 'fsync' | 'send' | 'apply';

export interface Waiter {
  client: number;
  attempt: number;
}
export interface ReadWaiter extends Waiter {
  key: string;
  index: number;
}

export interface SimNode {
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

/** Forgets what a node kept in memory (not its storage). */
function resetVolatile(n: SimNode): void {
  n.paused = false;
  n.crashAt = undefined;
  n.held = [];
  n.putWaiters = new Map();
  n.readWaiters = new Map();
  n.pendingReads = [];
}

export class NodeDriver {
  constructor(private readonly sim: World) {}

  /** Adds node `id`, down and with empty storage, and starts it. */
  add(id: NodeId): void {
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
    this.sim.nodes.set(id, n);
    this.start(n);
  }

  /** Starts (or restarts) a node over its durable storage, rebuilding its kv from the snapshot. */
  start(n: SimNode): void {
    n.incarnation++;
    const snap = n.storage.durable.snapshot();
    n.kv = Kv.restore(snap.data, snap.index);
    if (snap.index > 0) this.sim.checks.checkKvAt(n, snap.index);
    n.raft = new RaftNode({ id: n.id, peers: this.sim.ids, storage: n.storage.durable, rng: seededRng(childSeed(this.sim.master)) });
    n.up = true;
    resetVolatile(n);
    n.checkedCommit = snap.index;
    const hs = n.storage.durable.initialState();
    this.sim.trace(`start ${n.id} #${n.incarnation} term ${hs.term} vote ${hs.vote} commit ${hs.commit} snap ${snap.index} last ${n.storage.durable.lastIndex()}`);
    this.drive(n);
  }

  crash(n: SimNode, where: string): void {
    const lost = n.storage.crash();
    this.sim.stats.crashes++;
    if (lost > 0) this.sim.stats.crashesLosingWrites++;
    this.sim.trace(`crash ${n.id} ${where}${lost > 0 ? ` (${lost} unsynced writes lost)` : ''}`);
    n.up = false;
    n.raft = undefined;
    resetVolatile(n);
    this.sim.at(this.sim.faultsOn ? randInt(this.sim.faultRng, 200, 3000) : 0, { k: 'restart', node: n.id });
  }

  tick(ev: EvOf<'tick'>): void {
    const n = this.sim.node(ev.node);
    this.sim.at(TICK_MS, ev);
    if (!n.up || n.paused || !n.raft) return;
    n.raft.tick();
    this.drive(n);
  }

  restart(id: NodeId): void {
    const n = this.sim.node(id);
    if (!n.up) this.start(n);
  }

  /** A crash scheduled between stages that no Ready has hit yet happens now, idle. */
  crashNow(ev: EvOf<'crashNow'>): void {
    const n = this.sim.node(ev.node);
    if (n.up && n.incarnation === ev.incarnation && n.crashAt !== undefined) this.crash(n, 'idle (pending crash)');
  }

  /** The transport tells the leader how streaming its snapshot went. */
  snapReport(ev: EvOf<'snapReport'>): void {
    // (A paused leader gets it once resumed; a crashed one no longer cares.)
    const n = this.sim.node(ev.node);
    if (!n.up || !n.raft) return;
    if (n.paused) {
      n.held.push(ev);
      return;
    }
    this.sim.trace(`node ${n.id} reportSnapshot(${ev.to}, ${ev.ok})`);
    n.raft.reportSnapshot(ev.to, ev.ok);
    this.drive(n);
  }

  /** The driver loop: persist → fsync → send → apply → advance, with crashes between stages. */
  drive(n: SimNode): void {
    const raft = n.raft;
    if (!raft) return;
    const order: Stage[] = this.sim.bug === 'send-before-persist' ? ['send', 'write', 'fsync', 'apply'] : ['write', 'fsync', 'send', 'apply'];
    while (n.up && raft.hasReady()) {
      const rd = raft.ready();
      if (rd.softState) {
        const st = raft.status();
        this.sim.trace(`node ${n.id} ${rd.softState.state} term ${st.term} lead ${rd.softState.lead}`);
        if (rd.softState.state === 'leader') this.sim.checks.noteLeader(n.id, st.term);
      }
      for (const stage of order) {
        if (stage === 'write') n.storage.write(rd);
        else if (stage === 'fsync') n.storage.fsync();
        else if (stage === 'send') for (const m of rd.messages) this.sim.net.send(m);
        else this.applyReady(n, rd);
        if (n.crashAt === stage && crashMatters(stage, rd)) {
          this.crash(n, `after ${stage}`);
          return;
        }
      }
      raft.advance(rd);
      this.maybeSnapshot(n);
    }
  }

  private applyReady(n: SimNode, rd: Ready): void {
    if (rd.snapshot) this.restoreSnapshot(n, rd.snapshot);
    this.applyEntries(n, rd);
    for (const rs of rd.readStates) {
      const w = n.readWaiters.get(rs.requestCtx);
      if (!w) continue;
      n.readWaiters.delete(rs.requestCtx);
      w.index = rs.index;
      n.pendingReads.push(w);
    }
    n.pendingReads = n.pendingReads.filter((w) => {
      if (w.index > n.kv.applied) return true;
      this.sim.clients.respond(w, 'value', n.kv.get(w.key));
      return false;
    });
  }

  private restoreSnapshot(n: SimNode, s: Snapshot): void {
    if (s.index <= n.kv.applied) this.sim.fail(`node ${n.id} got a snapshot at ${s.index} at or below its applied ${n.kv.applied}`);
    n.kv = Kv.restore(s.data, s.index);
    this.sim.stats.snapshotsRestored++;
    this.sim.trace(`node ${n.id} restored snapshot ${s.index}`);
    this.sim.checks.checkKvAt(n, s.index);
  }

  private applyEntries(n: SimNode, rd: Ready): void {
    for (const e of rd.committedEntries) {
      if (e.index <= n.kv.applied) continue;
      this.sim.checks.checkCommitted(n, e);
      const cmd = n.kv.apply(e.index, e.data);
      this.sim.checks.checkKvAt(n, e.index);
      if (cmd === undefined) continue;
      const key = `${cmd.clientId}:${cmd.seq}`;
      this.sim.checks.noteApplied(key, e.index);
      const w = n.putWaiters.get(key);
      if (w) {
        n.putWaiters.delete(key);
        this.sim.clients.respond(w, 'ack');
      }
    }
  }

  private maybeSnapshot(n: SimNode): void {
    const st = n.storage.durable;
    const applied = n.kv.applied;
    if (applied - st.snapshot().index < this.sim.snapshotEvery) return;
    if (applied > st.initialState().commit) return; // not yet durable as committed
    const { voters, learners } = n.raft!.status();
    st.createSnapshot(applied, { voters, learners }, n.kv.serialize());
    const to = applied - this.sim.snapshotTail;
    if (to >= st.firstIndex()) st.compact(to);
    this.sim.stats.snapshotsTaken++;
    this.sim.trace(`node ${n.id} snapshot ${applied} compact ${to}`);
  }
}

/** A pending crash waits for a Ready where its stage matters (something unsynced, sent, applied). */
function crashMatters(stage: Stage, rd: Ready): boolean {
  const writes = rd.snapshot !== undefined || rd.hardState !== undefined || rd.entries.length > 0;
  if (stage === 'write') return writes;
  if (stage === 'fsync') return writes && rd.messages.length > 0;
  if (stage === 'send') return rd.messages.length > 0;
  return rd.committedEntries.length > 0 || rd.snapshot !== undefined;
}
