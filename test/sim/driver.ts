/**
 * The nodes, each running the production `RaftHost` (packages/manager/src/raft/raft-host.ts) over
 * the production `DurableRaftStorage` on a simulated disk, with the simulated network as its
 * transport, simulated time as its clock and simulation events as its timers. Starts (a new
 * cluster bootstraps from a snapshot naming every node), crashes (idle or at a stage of the host's
 * Ready loop, losing unsynced writes) and restarts from what the disk kept.
 */
import { seededRng, type Clock } from '@shoal/common';
import type { NodeId } from '@shoal/raft';
import { DurableRaftStorage } from '../../packages/manager/src/raft/durable-storage.js';
import type { Member } from '../../packages/manager/src/raft/members.js';
import { RaftHost } from '../../packages/manager/src/raft/raft-host.js';
import { encodeSnapshotData } from '../../packages/manager/src/raft/state-machine-data.js';
import type { StoreSnapshot } from '../../packages/manager/src/store/types.js';
import { SimDisk } from './disk.js';
import type { Ev, EvOf } from './events.js';
import { Incarnation } from './incarnation.js';
import { Kv } from './kv.js';
import { KvMachine } from './kv-machine.js';
import { childSeed, randInt } from './rng.js';
import { SimTransport } from './sim-transport.js';
import type { World } from './world.js';

export const TICK_MS = 100;

export interface Waiter {
  client: number;
  attempt: number;
}

export interface SimNode {
  id: NodeId;
  /** Its host runs (not crashed, not still opening its storage). */
  up: boolean;
  starting: boolean;
  paused: boolean;
  /** Events that reached the node while it was paused. */
  held: Ev[];
  disk: SimDisk;
  inc: Incarnation | undefined;
  host: RaftHost | undefined;
  storage: DurableRaftStorage | undefined;
  transport: SimTransport | undefined;
  kv: Kv;
  incarnation: number;
  putWaiters: Map<string, Waiter>;
  checkedCommit: number;
  /** The role last traced, as `state term lead`. */
  role: string;
}

export class NodeDriver {
  readonly clock: Clock;

  constructor(private readonly sim: World) {
    this.clock = { now: () => sim.now };
  }

  /** Adds node `id`, down and with an empty disk. */
  add(id: NodeId): SimNode {
    const n: SimNode = {
      id,
      up: false,
      starting: false,
      paused: false,
      held: [],
      disk: new SimDisk(this.sim, id),
      inc: undefined,
      host: undefined,
      storage: undefined,
      transport: undefined,
      kv: new Kv(),
      incarnation: 0,
      putWaiters: new Map(),
      checkedCommit: 0,
      role: '',
    };
    this.sim.nodes.set(id, n);
    return n;
  }

  /** Starts (or restarts) a node over what its disk kept; the host is up once its storage is open. */
  start(n: SimNode): void {
    if (n.up || n.starting) return;
    n.starting = true;
    n.incarnation++;
    const inc = new Incarnation(this.sim, n.id, n.incarnation);
    n.inc = inc;
    this.boot(n, inc).catch((e: unknown) => this.sim.fatal(e));
  }

  private async boot(n: SimNode, inc: Incarnation): Promise<void> {
    const storage = await DurableRaftStorage.open(n.disk.handle(inc));
    if (storage.isEmpty()) await storage.bootstrap({ index: 1, term: 1, voters: [...this.sim.ids], learners: [], data: this.firstSnapshot() });
    if (!inc.alive) return;
    const machine = new KvMachine(this.sim, n, inc);
    const transport = new SimTransport(this.sim, inc);
    const host = new RaftHost({
      raftId: n.id,
      storage,
      machine,
      transport,
      clock: this.clock,
      rng: seededRng(childSeed(this.sim.master)),
      schedule: inc.schedule,
      snapshotInterval: this.sim.snapshotEvery,
      keepTail: this.sim.snapshotTail,
      onFatal: (e) => {
        if (inc.alive) this.sim.fatal(e);
      },
      log: () => {},
    });
    machine.running = true;
    host.on({ applied: (proposalId) => this.applied(n, inc, proposalId) });
    Object.assign(n, { host, storage, transport, up: true, starting: false, checkedCommit: storage.snapshot().index, role: '' });
    const hs = storage.initialState();
    this.sim.trace(`start ${n.id} #${n.incarnation} term ${hs.term} vote ${hs.vote} commit ${hs.commit} snap ${storage.snapshot().index} last ${storage.lastIndex()}`);
    host.start();
  }

  /** The data of the snapshot a new cluster starts from: an empty kv and every node as a member. */
  private firstSnapshot(): string {
    const members: Member[] = this.sim.ids.map((id) => ({ raftId: id, nodeId: `node-${id}`, addr: `sim-${id}:4242` }));
    const kv = new Kv();
    kv.applied = 1;
    return encodeSnapshotData({ store: kv.snapshot() as unknown as StoreSnapshot, members });
  }

  /** A proposal was applied on `n`: the client waiting there for it gets its answer. */
  private applied(n: SimNode, inc: Incarnation, proposalId: string): void {
    if (!inc.alive) return;
    const w = n.putWaiters.get(proposalId);
    if (w === undefined) return;
    n.putWaiters.delete(proposalId);
    this.sim.clients.respond(w, 'ack');
  }

  crash(n: SimNode, where: string): void {
    const lost = n.disk.crash();
    this.sim.stats.crashes++;
    if (lost > 0) this.sim.stats.crashesLosingWrites++;
    this.sim.trace(`crash ${n.id} ${where}${lost > 0 ? ` (${lost} unsynced writes lost)` : ''}`);
    n.inc?.end();
    const host = n.host;
    Object.assign(n, { up: false, starting: false, paused: false, held: [], host: undefined, storage: undefined, transport: undefined, putWaiters: new Map() });
    // The dead host may be half-way through a Ready: it goes on against a dead disk, transport and
    // state machine, and stops at its next write.
    void host?.stop();
    this.sim.at(this.sim.faultsOn ? randInt(this.sim.faultRng, 200, 3000) : 0, { k: 'restart', node: n.id });
  }

  restart(id: NodeId): void {
    this.start(this.sim.node(id));
  }

  /** A crash armed for a stage that no Ready has reached yet happens now, idle. */
  crashNow(ev: EvOf<'crashNow'>): void {
    const n = this.sim.node(ev.node);
    if (n.up && n.incarnation === ev.incarnation && n.inc?.crashAt !== undefined) this.crash(n, 'idle (pending crash)');
  }

  /** Events of the node's process (timers, disk completions, the transport's reports). */
  timer(ev: EvOf<'timer'>): void {
    const n = this.current(ev);
    if (n) n.inc!.fire(ev.id);
  }

  disk(ev: EvOf<'disk'>): void {
    const n = this.current(ev);
    if (n) n.disk.complete();
  }

  /** The transport tells the leader how streaming its snapshot went. */
  snapReport(ev: EvOf<'snapReport'>): void {
    const n = this.sim.node(ev.node);
    if (!n.up || !n.host) return; // a crashed leader no longer cares
    if (this.held(n, ev)) return;
    this.sim.trace(`node ${n.id} reportSnapshot(${ev.to}, ${ev.ok})`);
    n.host.reportSnapshot(ev.to, ev.ok);
  }

  /** Holds `ev` while `n` is paused (true), to deliver it on resume. */
  held(n: SimNode, ev: Ev): boolean {
    if (!n.paused) return false;
    n.held.push(ev);
    return true;
  }

  /** The node of an event of its process, unless that incarnation ended (or it is paused: held). */
  private current(ev: EvOf<'timer'> | EvOf<'disk'>): SimNode | undefined {
    const n = this.sim.node(ev.node);
    if (n.incarnation !== ev.incarnation || !n.inc?.alive) return undefined;
    return this.held(n, ev) ? undefined : n;
  }
}
