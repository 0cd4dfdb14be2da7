import type { TaskStatus } from '@shoal/common';

/**
 * Task status changes waiting to be sent to the dispatcher. Only the newest status of a task is
 * kept. One batch is in flight at a time: `take` hands out nothing until the batch taken before
 * is settled. A batch that failed to send is put back unless something newer arrived meanwhile
 * (with two batches in flight, the older one put back last would have hidden the newer one, and
 * a task would stay "starting" on the manager while it runs).
 */
export class StatusBatch {
  private pending = new Map<string, TaskStatus>();
  private inFlight = false;

  add(taskId: string, status: TaskStatus): void {
    this.pending.set(taskId, status);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The statuses to send now, or undefined while a batch is in flight or nothing is pending. */
  take(): Map<string, TaskStatus> | undefined {
    if (this.inFlight || this.pending.size === 0) return undefined;
    const out = this.pending;
    this.pending = new Map();
    this.inFlight = true;
    return out;
  }

  /** Ends the batch in flight; `unsent` (what failed to send) goes back where nothing newer came. */
  settle(unsent: ReadonlyMap<string, TaskStatus> = new Map()): void {
    this.inFlight = false;
    for (const [id, status] of unsent) if (!this.pending.has(id)) this.pending.set(id, status);
  }
}
