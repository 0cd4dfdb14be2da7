/**
 * A deterministic simulation of a Raft cluster (3 or 5 nodes) and its clients in one process:
 * simulated time (a discrete-event loop), a lossy/duplicating/reordering network with partitions,
 * per-node storage with an unsynced buffer and crashes at chosen points of the driver loop,
 * pauses, leadership transfers, snapshots and compaction, a kv state machine, and clients whose
 * history is checked for linearizability. Everything derives from one seed. See README.md.
 *
 * This file is the entry point and the run's phases; the parts live in world.ts (shared state),
 * network.ts, faults.ts, driver.ts, clients.ts and invariants.ts.
 */
import { checkOperations, kvModel } from '../linearizability/index.js';
import { allApplied, describeCluster, isQuiet, maxCommit, maxTerm } from './cluster.js';
import { TICK_MS } from './driver.js';
import type { Ev } from './events.js';
import type { SimOptions } from './options.js';
import type { SimResult } from './result.js';
import { randInt } from './rng.js';
import { World } from './world.js';

export { nodesForSeed, type FaultRates, type SimBug, type SimOptions } from './options.js';
export { SimFailure, summarize, type SimResult } from './result.js';

/**
 * Runs one seed. Async because the hosts are: after each event the loop lets every settled
 * promise run (one macrotask turn: nothing in a run waits on real time or I/O), so the order of
 * everything stays a function of the seed.
 */
export function simulate(options: SimOptions): Promise<SimResult> {
  return new Simulation(options).run();
}

/** Resolves once the microtask queue is empty (every promise the last event settled has run). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Events that never reach a host: nothing to settle after them. */
const OFF_HOST = new Set<Ev['k']>(['cresp', 'ctimeout', 'cnext', 'heal']);

class Simulation {
  private readonly sim: World;

  constructor(opts: SimOptions) {
    this.sim = new World(opts);
  }

  async run(): Promise<SimResult> {
    const sim = this.sim;
    this.setUp();
    // 1. The faulty phase.
    const faultyMs = sim.opts.simulatedMs ?? 20_000;
    const maxSteps = sim.opts.steps ?? Infinity;
    await this.runWhile(() => sim.now < faultyMs && sim.step < maxSteps);
    // 2. Heal everything; clients stop issuing new operations; run until quiet.
    await this.converge();
    // 3. Progress: a new put is acknowledged within a bounded time.
    const progressMs = await this.finalPut();
    // 4. Linearizability of the whole client history.
    this.checkLinearizable();
    return this.result(progressMs);
  }

  /** Starts the nodes and clients and schedules their first ticks, operations and the first fault. */
  private setUp(): void {
    const sim = this.sim;
    for (const id of sim.ids) {
      sim.driver.add(id);
      sim.at(randInt(sim.faultRng, 0, TICK_MS - 1), { k: 'restart', node: id });
    }
    const clientCount = sim.opts.clients ?? (sim.n === 3 ? 3 : 4);
    for (let i = 0; i < clientCount; i++) {
      const c = sim.clients.add();
      sim.at(randInt(sim.clientRng, 200, 1500), { k: 'cnext', client: c.id });
    }
    sim.at(randInt(sim.faultRng, ...sim.faultCfg.faultEveryMs), { k: 'fault' });
  }

  private async converge(): Promise<void> {
    const sim = this.sim;
    sim.faults.healAll();
    const quietBy = sim.now + 30_000;
    await this.runWhile(() => !isQuiet(sim) && sim.now < quietBy);
    if (!isQuiet(sim)) sim.fail(`no progress: cluster did not converge (one leader, every node applied its whole log) 30 s after healing (${describeCluster(sim)})`);
  }

  /** Issues a put from a new client; returns the simulated ms until it was acknowledged. */
  private async finalPut(): Promise<number> {
    const sim = this.sim;
    const final = sim.clients.add();
    const before = sim.stats.opsAcked;
    const startedAt = sim.now;
    sim.clients.issue(final, { kind: 'put', key: sim.keys[0]!, value: 'final' });
    const progressBy = sim.now + 5_000;
    await this.runWhile(() => final.op !== undefined && sim.now < progressBy);
    if (sim.stats.opsAcked === before) sim.fail(`no progress: the final put was not acknowledged within 5 s (${describeCluster(sim)})`);
    const progressMs = sim.now - startedAt;
    const appliedBy = sim.now + 5_000;
    await this.runWhile(() => !allApplied(sim) && sim.now < appliedBy);
    if (!allApplied(sim)) sim.fail(`nodes did not converge after the final put (${describeCluster(sim)})`);
    const hashes = new Set(sim.ids.map((id) => sim.node(id).kv.hash()));
    if (hashes.size !== 1) sim.fail('final kv states differ');
    return progressMs;
  }

  private checkLinearizable(): void {
    const lin = checkOperations(kvModel(), this.sim.clients.history, { timeoutMs: 20_000 });
    if (lin.result === 'illegal') this.sim.fail(`history not linearizable:\n${lin.explanation}`);
    if (lin.result === 'unknown') this.sim.fail(`linearizability check gave up: ${lin.reason}`);
  }

  private result(progressMs: number): SimResult {
    const sim = this.sim;
    return {
      seed: sim.seed,
      nodes: sim.n,
      steps: sim.step,
      simulatedMs: sim.now,
      traceHash: sim.traceHash(),
      leadersElected: sim.checks.leadersElected,
      maxTerm: maxTerm(sim),
      committed: maxCommit(sim),
      ...sim.stats,
      progressMs,
      linearizable: true,
      ...(sim.fullTrace ? { trace: sim.fullTrace } : {}),
    };
  }

  private async runWhile(cond: () => boolean): Promise<void> {
    const sim = this.sim;
    while (cond()) {
      const next = sim.queue.pop();
      if (next === undefined) return;
      sim.now = next.t;
      sim.step++;
      this.handle(next.ev);
      if (!OFF_HOST.has(next.ev.k)) await settle();
      sim.rethrowFatal();
      sim.checks.checkAll();
    }
  }

  private handle(ev: Ev): void {
    const sim = this.sim;
    switch (ev.k) {
      case 'timer':
        return sim.driver.timer(ev);
      case 'disk':
        return sim.driver.disk(ev);
      case 'msg':
        return sim.net.deliver(ev);
      case 'creq':
        return sim.clients.request(ev);
      case 'cresp':
        return sim.clients.response(ev);
      case 'ctimeout':
        return sim.clients.timeout(ev);
      case 'cnext':
        return sim.clients.next(ev.client);
      case 'fault':
        return sim.faults.fault();
      case 'heal':
        return sim.net.healPartition();
      case 'restart':
        return sim.driver.restart(ev.node);
      case 'resume':
        return sim.faults.resume(sim.node(ev.node));
      case 'snapReport':
        return sim.driver.snapReport(ev);
      case 'crashNow':
        return sim.driver.crashNow(ev);
    }
  }
}
