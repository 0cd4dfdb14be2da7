import { unavailable } from '@shoal/common';

/** Callers that may wait on the host's state at once; one more is refused (a bound on memory). */
export const MAX_STATE_WAITERS = 1024;

interface Waiter {
  holds: () => boolean;
  settle: (held: boolean) => void;
}

/**
 * Callers waiting until a condition on the Raft host's state holds (a leader is known, this
 * manager leads or no longer does, a change could be proposed). The host re-checks them after
 * every Ready it handles, so a wait ends on the event that satisfies it, not on a polling period;
 * each wait also ends at its deadline (false).
 */
export class StateWaiters {
  private readonly waiting = new Set<Waiter>();

  /** Resolves true once `holds()` is true (checked now and after each change), false after `timeoutMs`. */
  until(holds: () => boolean, timeoutMs: number, schedule: (ms: number, fn: () => void) => () => void): Promise<boolean> {
    if (holds()) return Promise.resolve(true);
    if (this.waiting.size >= MAX_STATE_WAITERS) return Promise.reject(unavailable('too many callers are waiting on the raft state; retry'));
    return new Promise<boolean>((resolve) => {
      let cancel = (): void => {};
      const w: Waiter = {
        holds,
        settle: (held) => {
          this.waiting.delete(w);
          cancel();
          resolve(held);
        },
      };
      this.waiting.add(w);
      cancel = schedule(timeoutMs, () => w.settle(false));
    });
  }

  /** The state may have changed: settles every wait whose condition now holds. */
  changed(): void {
    for (const w of [...this.waiting]) if (w.holds()) w.settle(true);
  }

  /** Ends every wait (false): the host stops. */
  endAll(): void {
    for (const w of [...this.waiting]) w.settle(false);
  }
}
