import { resourceExhausted } from '@shoal/common';
import type { ReadState } from '@shoal/raft';

interface Waiter {
  id: string;
  /** Set once leadership is confirmed: the read is served when this index is applied. */
  index: number | undefined;
  resolve(): void;
  reject(error: unknown): void;
  cancelTimer(): void;
}

export interface PendingRead {
  id: string;
  promise: Promise<void>;
  fail(error: unknown): void;
}

/**
 * Reads waiting for ReadIndex: each gets a unique request id; when Raft confirms it (a
 * ReadState) it waits until the state machine has applied the confirmed index.
 */
export class ReadWaiters {
  private readonly waiting = new Map<string, Waiter>();
  private seq = 0;

  constructor(
    private readonly applied: () => number,
    /** Reads waiting at most; beyond it a read fails at once (RESOURCE_EXHAUSTED). */
    private readonly maxWaiting = 10_000,
  ) {}

  add(timeoutMs: number, schedule: (ms: number, fn: () => void) => () => void): PendingRead {
    if (this.waiting.size >= this.maxWaiting) {
      throw resourceExhausted(`too many reads waiting for the leader to confirm them (${this.waiting.size}, max ${this.maxWaiting}): the manager is overloaded; retry`);
    }
    const id = `read-${++this.seq}`;
    let waiter!: Waiter;
    const promise = new Promise<void>((resolve, reject) => {
      waiter = { id, index: undefined, resolve, reject, cancelTimer: () => {} };
    });
    this.waiting.set(id, waiter);
    waiter.cancelTimer = schedule(timeoutMs, () => this.fail(id, new Error('the read was not confirmed in time')));
    return { id, promise, fail: (error) => this.fail(id, error) };
  }

  confirmed(states: readonly ReadState[]): void {
    for (const s of states) {
      const w = this.waiting.get(s.requestCtx);
      if (w) w.index = s.index;
    }
  }

  appliedAdvanced(): void {
    const applied = this.applied();
    for (const w of this.waiting.values()) {
      if (w.index !== undefined && w.index <= applied) this.settle(w.id)?.resolve();
    }
  }

  failAll(error: unknown): void {
    for (const id of [...this.waiting.keys()]) this.fail(id, error);
  }

  private fail(id: string, error: unknown): void {
    this.settle(id)?.reject(error);
  }

  private settle(id: string): Waiter | undefined {
    const w = this.waiting.get(id);
    if (!w) return undefined;
    this.waiting.delete(id);
    w.cancelTimer();
    return w;
  }
}
