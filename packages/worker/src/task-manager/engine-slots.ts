import type { Controller } from '../executor/controller.js';

/**
 * How many container creates and starts one agent has in flight on its engine at once (the
 * floor of bench:converge found 1–5 per engine alike on this machine and 10 slower; Docker's own
 * agent starts what it is given at once). More only queue inside the engine, and a container
 * created early waits there while later creates take the engine's time.
 */
export const DEFAULT_ENGINE_SLOTS = 3;

/** Beyond this, asking for slots makes no difference (the engine serialises well before). */
const MAX_ENGINE_SLOTS = 64;

type Kind = 'prepare' | 'start';

/**
 * A bound on the Engine calls that create and start containers. A start waiting for a slot goes
 * before every waiting prepare, so that a container once created is started next: with 10 tasks
 * and 3 slots, the engine sees create, create, create, start, create, start … (as a pool of
 * create+start would do) rather than all the creates first and the first start last.
 */
export class EngineSlots {
  private free: number;
  private readonly waiting: Record<Kind, (() => void)[]> = { start: [], prepare: [] };

  constructor(slots: number = DEFAULT_ENGINE_SLOTS) {
    this.free = Math.max(1, Math.min(MAX_ENGINE_SLOTS, Math.floor(slots) || 1));
  }

  /** Calls waiting for a slot (for tests and logs). */
  get queued(): number {
    return this.waiting.start.length + this.waiting.prepare.length;
  }

  /** Runs `op` once a slot is free; the slot is given back when it settles. */
  async run<T>(kind: Kind, op: () => Promise<T>): Promise<T> {
    await this.acquire(kind);
    try {
      return await op();
    } finally {
      this.release();
    }
  }

  /** The task's controller with its prepare and start run through these slots. */
  bound(ctl: Controller): Controller {
    const bound: Controller = {
      get containerId() {
        return ctl.containerId;
      },
      prepare: () => this.run('prepare', () => ctl.prepare()),
      start: () => this.run('start', () => ctl.start()),
      wait: () => ctl.wait(),
      shutdown: (gracePeriodMs) => ctl.shutdown(gracePeriodMs),
      terminate: () => ctl.terminate(),
      remove: () => ctl.remove(),
      inspect: () => ctl.inspect(),
    };
    if (ctl.watchHealth) bound.watchHealth = (listener) => ctl.watchHealth!(listener);
    return bound;
  }

  private acquire(kind: Kind): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiting[kind].push(resolve));
  }

  private release(): void {
    const next = this.waiting.start.shift() ?? this.waiting.prepare.shift();
    if (next) next();
    else this.free++;
  }
}
