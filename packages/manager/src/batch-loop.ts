import { ERROR_CODES, isShoalError } from '@shoal/common';

/**
 * The loop shape the leader's scheduler and allocator share: one batch at a time, on request.
 * Requests that come before the scheduled run share it; a request while a batch runs, or a batch
 * that left work or lost a race (`again`), runs one more batch after it. Between `start` and
 * `stop` only: a stopped loop (leadership lost) schedules nothing.
 */
export class BatchLoop {
  private active = false;
  private queued = false;
  private dirty = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly schedule: (fn: () => void) => void,
    private readonly batch: () => Promise<void>,
  ) {}

  start(): void {
    this.active = true;
    this.request();
  }

  stop(): void {
    this.active = false;
  }

  /** Asks for a batch soon. */
  request(): void {
    if (!this.active) return;
    this.dirty = true;
    if (this.queued) return;
    this.queued = true;
    this.schedule(() => {
      this.queued = false;
      if (this.active) void this.runBatch();
    });
  }

  /** From inside a batch: run one more after this one. */
  again(): void {
    this.dirty = true;
  }

  /** Runs one batch now (the scheduled callback does this); joins the running one if any. */
  runBatch(): Promise<void> {
    if (this.running) {
      this.dirty = true;
      return this.running;
    }
    this.dirty = false;
    this.running = this.batch().finally(() => {
      this.running = undefined;
      if (this.dirty) this.request();
    });
    return this.running;
  }

  /** Resolves once no batch is running. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Commits a batch's write: a conflict (another write won on the same view) runs the batch again. */
  async commit(write: () => Promise<unknown>, onError?: (error: unknown) => void): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isShoalError(error) && error.code === ERROR_CODES.CONFLICT) this.dirty = true;
      else onError?.(error);
    }
  }
}
