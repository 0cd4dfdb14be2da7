/**
 * One run of a node's process, from start to crash: the timers it scheduled (the host's
 * `schedule`, as simulation events), the crash armed for a stage of its Ready loop, and whether
 * it is still alive. Everything a crashed incarnation's host still does (it may be half-way
 * through a Ready) goes nowhere: its timers never fire, its disk handle never completes a write,
 * its transport sends nothing, its state machine is discarded.
 */
import type { NodeId } from '@shoal/raft';
import type { World } from './world.js';

export type Stage = 'write' | 'fsync' | 'send' | 'apply';

export class Incarnation {
  alive = true;
  /** A crash armed for the next time this stage of the Ready loop does something. */
  crashAt: Stage | undefined;
  private readonly timers = new Map<number, () => void>();
  private nextTimer = 0;

  constructor(
    private readonly sim: World,
    readonly node: NodeId,
    readonly number: number,
  ) {}

  /** The host's `schedule`: `fn` runs after `delayMs` simulated ms unless cancelled first. */
  readonly schedule = (delayMs: number, fn: () => void): (() => void) => {
    const id = this.nextTimer++;
    this.timers.set(id, fn);
    this.sim.at(Math.max(0, delayMs), { k: 'timer', node: this.node, incarnation: this.number, id });
    return () => this.timers.delete(id);
  };

  fire(id: number): void {
    const fn = this.timers.get(id);
    if (fn === undefined || !this.alive) return;
    this.timers.delete(id);
    fn();
  }

  /** Crashes this incarnation's node now (from inside a stage of the host's Ready loop). */
  crash(where: string): void {
    if (this.alive) this.sim.driver.crash(this.sim.node(this.node), where);
  }

  end(): void {
    this.alive = false;
    this.crashAt = undefined;
    this.timers.clear();
  }
}
