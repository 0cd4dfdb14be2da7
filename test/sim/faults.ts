/**
 * Fault injection: every [min, max] ms a crash (idle or at a driver stage), a pause, a partition
 * or a leadership transfer, never taking down more than a minority; and healing everything.
 */
import { pick, randInt } from './rng.js';
import type { SimNode } from './driver.js';
import type { World } from './world.js';

export class Faults {
  constructor(private readonly sim: World) {}

  /** Handles a `fault` event: schedules the next one and injects a fault. */
  fault(): void {
    const sim = this.sim;
    if (!sim.faultsOn) return;
    sim.at(randInt(sim.faultRng, ...sim.faultCfg.faultEveryMs), { k: 'fault' });
    const f = sim.faultCfg;
    const total = f.crash + f.pause + f.partition + f.transfer;
    let r = sim.faultRng.next() * total;
    if ((r -= f.crash) < 0) return this.crash();
    if ((r -= f.pause) < 0) return this.pause();
    if ((r -= f.partition) < 0) return sim.net.partition();
    this.transfer();
  }

  resume(n: SimNode): void {
    if (!n.paused) return;
    n.paused = false;
    this.sim.trace(`resume ${n.id} (${n.held.length} held)`);
    const held = n.held;
    n.held = [];
    for (const ev of held) this.sim.at(randInt(this.sim.netRng, 0, 5), ev);
  }

  /** Ends the faulty phase: no more faults or new client operations; every node up and reachable. */
  healAll(): void {
    const sim = this.sim;
    sim.faultsOn = false;
    sim.clientsOn = false;
    sim.netFaultsOn = false;
    sim.net.healPartition();
    sim.trace('heal all');
    for (const n of sim.nodes.values()) {
      if (n.paused) this.resume(n);
      if (n.inc) n.inc.crashAt = undefined;
      sim.driver.start(n);
    }
  }

  /** The up node that is leader in the highest term, if any. */
  leader(): SimNode | undefined {
    let best: SimNode | undefined;
    let bestTerm = -1;
    for (const n of this.sim.nodes.values()) {
      if (!n.up || !n.host) continue;
      const s = n.host.status();
      if (s.state === 'leader' && s.term > bestTerm) {
        best = n;
        bestTerm = s.term;
      }
    }
    return best;
  }

  /**
   * The nodes a crash or pause may hit (up, not paused, no crash pending), or undefined when a
   * minority's worth of nodes is already down, paused or about to crash.
   */
  private candidates(): SimNode[] | undefined {
    const all = [...this.sim.nodes.values()];
    const unavailable = all.filter((n) => !n.up || n.paused || n.inc?.crashAt !== undefined).length;
    const candidates = all.filter((n) => n.up && !n.paused && n.inc?.crashAt === undefined);
    if (unavailable >= Math.floor((this.sim.n - 1) / 2) || candidates.length === 0) return undefined;
    return candidates;
  }

  /** Crashes a node (the leader 40% of the time) now, or armed for the next time a stage of its host's Ready loop acts. */
  private crash(): void {
    const sim = this.sim;
    const rng = sim.faultRng;
    const candidates = this.candidates();
    if (candidates === undefined) return;
    const leader = this.leader();
    const n = leader && rng.next() < 0.4 && candidates.includes(leader) ? leader : pick(rng, candidates);
    const where = pick(rng, ['idle', 'idle', 'write', 'write', 'fsync', 'fsync', 'send', 'apply'] as const);
    if (where === 'idle') sim.driver.crash(n, 'idle');
    else {
      n.inc!.crashAt = where;
      sim.at(500, { k: 'crashNow', node: n.id, incarnation: n.incarnation });
    }
  }

  private pause(): void {
    const sim = this.sim;
    const candidates = this.candidates();
    if (candidates === undefined) return;
    const n = pick(sim.faultRng, candidates);
    n.paused = true;
    sim.stats.pauses++;
    sim.trace(`pause ${n.id}`);
    sim.at(randInt(sim.faultRng, 200, 4000), { k: 'resume', node: n.id });
  }

  private transfer(): void {
    const sim = this.sim;
    const leader = this.leader();
    if (!leader?.host) return;
    const to = pick(sim.faultRng, sim.ids.filter((id) => id !== leader.id));
    const ok = leader.host.transferLeadership(to);
    sim.trace(`transfer ${leader.id}->${to} ${ok ? 'started' : 'refused'}`);
    if (ok) sim.stats.transfers++;
  }
}
