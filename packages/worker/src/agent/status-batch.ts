import type { TaskStatus } from '@shoal/common';

/**
 * Task status changes waiting to be sent to the dispatcher. Only the newest status of a task is
 * kept; a batch that failed to send is put back unless something newer arrived meanwhile.
 */
export class StatusBatch {
  private pending = new Map<string, TaskStatus>();

  add(taskId: string, status: TaskStatus): void {
    this.pending.set(taskId, status);
  }

  get size(): number {
    return this.pending.size;
  }

  take(): Map<string, TaskStatus> {
    const out = this.pending;
    this.pending = new Map();
    return out;
  }

  putBack(batch: Map<string, TaskStatus>): void {
    for (const [id, status] of batch) if (!this.pending.has(id)) this.pending.set(id, status);
  }
}
