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
 * A bound on the Engine calls that create and start containers. A container once created is
 * started next (its slot passes from the create to the start; a start that must wait goes before
 * every waiting create): with 10 tasks and 3 slots, the engine sees create, create, create,
 * start, create, start … (as a pool of create+start would do) rather than all the creates first.
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

  /**
   * The task's controller with its prepare and start run through these slots. The slot a create
   * took passes to the same container's start (it is not given back in between, or the next
   * create would take it before the task manager asks for the start); a task that stops, is
   * removed or fails to prepare gives it back.
   */
  bound(ctl: Controller): Controller {
    let held = false;
    const giveBack = () => {
      if (held) this.release();
      held = false;
    };
    const bound: Controller = {
      get containerId() {
        return ctl.containerId;
      },
      prepare: async () => {
        if (!held) await this.acquire('prepare');
        held = true;
        try {
          await ctl.prepare();
        } catch (e) {
          giveBack();
          throw e;
        }
      },
      start: async () => {
        if (!held) await this.acquire('start');
        held = true;
        try {
          await ctl.start();
        } finally {
          giveBack();
        }
      },
      wait: () => ctl.wait(),
      shutdown: (gracePeriodMs) => (giveBack(), ctl.shutdown(gracePeriodMs)),
      terminate: () => (giveBack(), ctl.terminate()),
      remove: () => (giveBack(), ctl.remove()),
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
