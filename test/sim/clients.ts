/**
 * The clients: each runs one put or get at a time against the node it believes leads, retrying
 * on redirects and timeouts within a budget, and records the history checked for linearizability.
 */
import type { NodeId } from '@shoal/raft';
import type { KvInput, KvOp } from '../linearizability/index.js';
import type { SimNode, Waiter } from './driver.js';
import type { EvOf } from './events.js';
import { commandKey, encodeCommand, type Command } from './kv.js';
import { pick, randInt } from './rng.js';
import type { World } from './world.js';

const CLIENT_ATTEMPT_TIMEOUT_MS = 800;
const CLIENT_OP_BUDGET_MS = 6000;
/** How long a node's host waits for a read to be confirmed before the client is told to retry. */
const READ_TIMEOUT_MS = 600;

interface ClientOp {
  seq: number;
  input: KvInput;
  call: number;
}

export interface SimClient {
  id: number;
  seq: number;
  op: ClientOp | undefined;
  attempt: number;
  target: NodeId;
  leaderGuess: NodeId;
}

export class Clients {
  private readonly list: SimClient[] = [];
  private attemptCounter = 0;
  /** Every completed operation, and every put whose outcome is unknown. */
  readonly history: KvOp[] = [];

  constructor(private readonly sim: World) {}

  add(): SimClient {
    const c: SimClient = { id: this.list.length, seq: 0, op: undefined, attempt: 0, target: 0, leaderGuess: 0 };
    this.list.push(c);
    return c;
  }

  allIdle(): boolean {
    return this.list.every((c) => c.op === undefined);
  }

  /** Handles `cnext`: an idle client invokes a random operation while clients are on. */
  next(id: number): void {
    const c = this.list[id]!;
    if (!this.sim.clientsOn || c.op !== undefined) return;
    return this.issue(c, this.randomOp());
  }

  issue(c: SimClient, input: KvInput): void {
    c.seq++;
    const op: ClientOp = { seq: c.seq, input: input.kind === 'put' ? { ...input, value: input.value || `${c.id}.${c.seq}` } : input, call: this.sim.now };
    c.op = op;
    this.sim.stats.opsInvoked++;
    this.sim.trace(`client ${c.id} invoke #${op.seq} ${JSON.stringify(op.input)}`);
    this.attempt(c);
  }

  /** A node answers a waiting request (after a 1–10 ms network delay). */
  respond(w: Waiter, kind: 'ack' | 'value' | 'retry', value?: string | null, hint?: NodeId): void {
    this.sim.at(randInt(this.sim.clientRng, 1, 10), { k: 'cresp', client: w.client, attempt: w.attempt, kind, value, hint });
  }

  /** A request reaches its node: a put is proposed, a get goes through ReadIndex. */
  request(ev: EvOf<'creq'>): void {
    const n = this.sim.node(ev.node);
    const c = this.list[ev.client]!;
    if (!n.up || !n.host) return; // the client times out
    if (this.sim.driver.held(n, ev)) return;
    const op = c.op;
    if (op === undefined || c.attempt !== ev.attempt) return;
    const w: Waiter = { client: c.id, attempt: ev.attempt };
    if (op.input.kind === 'put') return this.put(n, w, { clientId: c.id, seq: op.seq, op: { kind: 'put', key: op.input.key, value: op.input.value } });
    if (op.input.kind !== 'get') throw new Error('only put and get are simulated');
    if (this.sim.bug === 'stale-read') return this.respond(w, 'value', n.kv.get(op.input.key));
    this.get(n, w, op.input.key);
  }

  /** The host proposes the put; the client is answered when this node applies it. */
  private put(n: SimNode, w: Waiter, cmd: Command): void {
    const host = n.host!;
    const key = commandKey(cmd);
    if (n.kv.seqOf(cmd.clientId) >= cmd.seq) return this.respond(w, 'ack'); // applied here already
    const ok = host.propose(encodeCommand(cmd));
    this.sim.trace(`node ${n.id} propose ${key} ${ok ? 'ok' : 'dropped'}`);
    if (!ok) return this.respond(w, 'retry', undefined, host.status().lead);
    if (this.sim.bug === 'ack-before-commit' && host.status().state === 'leader') {
      this.sim.checks.noteAcked({ clientId: cmd.clientId, seq: cmd.seq, index: host.status().lastIndex });
      this.respond(w, 'ack');
    } else n.putWaiters.set(key, w);
  }

  /** The host's read barrier (ReadIndex): the value is read once this node has applied the confirmed index. */
  private get(n: SimNode, w: Waiter, key: string): void {
    const host = n.host!;
    const inc = n.inc!;
    const ctx = `${w.client}:${w.attempt}`;
    this.sim.trace(`node ${n.id} readBarrier ${ctx}`);
    host.readBarrier(READ_TIMEOUT_MS).then(
      () => {
        if (inc.alive) this.respond(w, 'value', n.kv.get(key));
      },
      () => {
        if (inc.alive) this.respond(w, 'retry', undefined, host.status().lead);
      },
    );
  }

  /** An answer reaches its client: a redirect is retried shortly, an ack or value completes the op. */
  response(ev: EvOf<'cresp'>): void {
    const c = this.list[ev.client]!;
    const op = c.op;
    if (op === undefined || ev.attempt !== c.attempt) return; // a late answer to an abandoned attempt
    if (ev.kind === 'retry') {
      c.leaderGuess = ev.hint !== undefined && ev.hint !== 0 && ev.hint !== c.target ? ev.hint : this.otherNode(c);
      c.attempt = ++this.attemptCounter; // the pending timeout no longer applies
      if (this.sim.now - op.call > CLIENT_OP_BUDGET_MS) return this.giveUp(c);
      this.sim.at(50, { k: 'ctimeout', client: c.id, attempt: c.attempt });
      return;
    }
    c.leaderGuess = c.target;
    const output = ev.kind === 'ack' ? undefined : (ev.value ?? null);
    if (op.input.kind === 'put') {
      const key = `${c.id}:${op.seq}`;
      const index = this.sim.checks.firstCommitOf(key);
      if (this.sim.bug !== 'ack-before-commit') {
        if (index === undefined) this.sim.fail(`put ${key} acknowledged but never applied anywhere`);
        this.sim.checks.noteAcked({ clientId: c.id, seq: op.seq, index });
      }
    }
    this.history.push({ clientId: c.id, input: op.input, call: op.call, output, return: this.sim.now });
    this.sim.stats.opsAcked++;
    this.sim.trace(`client ${c.id} ok #${op.seq}${op.input.kind === 'get' ? ` -> ${JSON.stringify(output)}` : ''}`);
    this.finish(c);
  }

  timeout(ev: EvOf<'ctimeout'>): void {
    const c = this.list[ev.client]!;
    if (c.op === undefined || ev.attempt !== c.attempt) return;
    if (this.sim.now - c.op.call > CLIENT_OP_BUDGET_MS) return this.giveUp(c);
    if (c.leaderGuess === c.target) c.leaderGuess = this.otherNode(c);
    this.attempt(c);
  }

  private randomOp(): KvInput {
    const key = pick(this.sim.clientRng, this.sim.keys);
    if (this.sim.clientRng.next() < 0.55) return { kind: 'put', key, value: '' };
    return { kind: 'get', key };
  }

  private attempt(c: SimClient): void {
    c.attempt = ++this.attemptCounter;
    c.target = c.leaderGuess !== 0 ? c.leaderGuess : pick(this.sim.clientRng, this.sim.ids);
    this.sim.at(randInt(this.sim.clientRng, 1, 10), { k: 'creq', node: c.target, client: c.id, attempt: c.attempt });
    this.sim.at(CLIENT_ATTEMPT_TIMEOUT_MS, { k: 'ctimeout', client: c.id, attempt: c.attempt });
  }

  /** A random node other than the one the client last tried. */
  private otherNode(c: SimClient): NodeId {
    return pick(this.sim.clientRng, this.sim.ids.filter((id) => id !== c.target));
  }

  /** The outcome is unknown: a put may take effect at any later time, a get constrains nothing. */
  private giveUp(c: SimClient): void {
    const op = c.op!;
    if (op.input.kind === 'put') this.history.push({ clientId: c.id, input: op.input, call: op.call, output: undefined, return: Infinity });
    this.sim.stats.opsUnknown++;
    this.sim.trace(`client ${c.id} gave up #${op.seq}`);
    this.finish(c);
  }

  private finish(c: SimClient): void {
    c.op = undefined;
    c.attempt = ++this.attemptCounter;
    if (this.sim.clientsOn) this.sim.at(randInt(this.sim.clientRng, 0, 60), { k: 'cnext', client: c.id });
  }
}
