/**
 * What every part of one run shares: its configuration, random streams, simulated time, event
 * queue, nodes, trace and counters, and the parts themselves (network, node driver, clients,
 * invariant checks, fault injection), which reach each other through it.
 */
import { seededRng, type Rng } from '@shoal/common';
import type { NodeId } from '@shoal/raft';
import { Clients } from './clients.js';
import { NodeDriver, type SimNode } from './driver.js';
import { EventQueue, type Ev } from './events.js';
import { Faults } from './faults.js';
import { Invariants } from './invariants.js';
import { Network } from './network.js';
import { DEFAULT_FAULTS, type FaultRates, type SimBug, type SimOptions } from './options.js';
import { emptyStats, SimFailure } from './result.js';
import { childSeed } from './rng.js';
import { TraceHash } from './trace-hash.js';

export class World {
  readonly seed: number;
  readonly n: number;
  readonly ids: NodeId[];
  readonly faultCfg: FaultRates;
  readonly bug: SimBug;
  readonly opts: SimOptions;
  readonly snapshotEvery: number;
  readonly snapshotTail: number;
  readonly keys: string[];

  readonly master: Rng;
  readonly netRng: Rng;
  readonly faultRng: Rng;
  readonly clientRng: Rng;
  readonly diskRng: Rng;

  now = 0;
  step = 0;
  readonly queue = new EventQueue();
  readonly nodes = new Map<NodeId, SimNode>();
  /** Switched off once everything is healed (`Faults.healAll`). */
  faultsOn = true;
  clientsOn = true;
  netFaultsOn = true;
  readonly stats = emptyStats();

  /** The first error a host or a node's start-up raised (rethrown by the event loop). */
  private fatalError: unknown;

  private readonly hash = new TraceHash();
  private readonly recent: string[] = [];
  readonly fullTrace: string[] | undefined;

  readonly checks = new Invariants(this);
  readonly net = new Network(this);
  readonly driver = new NodeDriver(this);
  readonly clients = new Clients(this);
  readonly faults = new Faults(this);

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
    this.diskRng = seededRng(childSeed(this.master));
    this.fullTrace = opts.verbose ? [] : undefined;
  }

  trace(line: string): void {
    const l = `${this.now} ${line}`;
    this.hash.add(l);
    this.recent.push(l);
    if (this.recent.length > 40) this.recent.shift();
    this.fullTrace?.push(l);
  }

  traceHash(): string {
    return this.hash.digest();
  }

  fail(invariant: string): never {
    const args = ` --nodes ${this.n}${this.bug !== 'none' ? ` --bug ${this.bug}` : ''}${this.opts.simulatedMs !== undefined ? ` --ms ${this.opts.simulatedMs}` : ''}`;
    throw new SimFailure(this.seed, this.step, this.now, invariant, [...this.recent], this.fullTrace, args);
  }

  /** Records an error raised off the event loop's own stack (in a host's promise chain). */
  fatal(error: unknown): void {
    this.fatalError ??= error;
  }

  /** Rethrows the error `fatal` recorded: a check that failed, or a host that could not go on. */
  rethrowFatal(): void {
    const e = this.fatalError;
    if (e === undefined) return;
    if (e instanceof SimFailure) throw e;
    this.fail(`a host failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }

  /** Schedules `ev` `delay` simulated ms from now. */
  at(delay: number, ev: Ev): void {
    this.queue.push(this.now + delay, ev);
  }

  node(id: NodeId): SimNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }
}
