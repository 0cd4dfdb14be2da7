import { ERROR_CODES, isShoalError, type Clock, type Rng, type Task } from '@shoal/common';
import type { ReadTx, Store, WatchEvent, WriteTx } from '../store/types.js';
import { holdsPlaceOnNode } from './node-info.js';
import { scheduleTasks, type ScheduleResult } from './schedule-tasks.js';

export interface SchedulerOptions {
  store: Store;
  rng: Rng;
  clock: Clock;
  /** Runs `fn` soon (setImmediate in io/); events that arrive before it runs share one batch. */
  schedule: (fn: () => void) => void;
  /** Told about failed batches other than conflicts (which are retried). */
  onError?: (error: unknown) => void;
}

export const ASSIGNED_MESSAGE = 'scheduler assigned task to node';

/** A task the scheduler must place: meant to run, pending, on no node yet. */
export function isWaitingForNode(task: Task): boolean {
  return task.desiredState === 'running' && task.status.state === 'pending' && task.nodeId === '';
}

function isRelevant(event: WatchEvent): boolean {
  if (event.table === 'nodes') return true;
  if (event.table !== 'tasks') return false;
  if (event.kind === 'remove') return holdsPlaceOnNode(event.object);
  if (isWaitingForNode(event.object)) return true;
  return event.kind === 'update' && holdsPlaceOnNode(event.old) && !holdsPlaceOnNode(event.object);
}

function byServiceAndSlot(a: Task, b: Task): number {
  if (a.serviceId !== b.serviceId) return a.serviceId < b.serviceId ? -1 : 1;
  if (a.slot !== b.slot) return a.slot - b.slot;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The scheduler loop: watches the store, and in batches places every waiting task with
 * `scheduleTasks`, committing all assignments (and new "no suitable node" reasons) in one
 * transaction. Tasks that fit nowhere stay pending until a node or task change re-triggers.
 */
export class Scheduler {
  private readonly schedule: (fn: () => void) => void;
  private unwatch: (() => void) | undefined;
  private queued = false;
  private dirty = false;
  private running: Promise<void> | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.schedule = options.schedule;
  }

  start(): void {
    if (this.unwatch) return;
    this.unwatch = this.options.store.watch((events) => {
      if (events.some(isRelevant)) this.request();
    });
    this.request();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  /** Resolves once no batch is running. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Runs one batch now (the scheduled callback does this). */
  runBatch(): Promise<void> {
    if (this.running) {
      this.dirty = true;
      return this.running;
    }
    this.dirty = false;
    this.running = this.commit().finally(() => {
      this.running = undefined;
      if (this.dirty) this.request();
    });
    return this.running;
  }

  private request(): void {
    if (!this.unwatch) return;
    this.dirty = true;
    if (this.queued) return;
    this.queued = true;
    this.schedule(() => {
      this.queued = false;
      if (this.unwatch) void this.runBatch();
    });
  }

  private async commit(): Promise<void> {
    const view = this.options.store.view();
    const waiting = view.find('tasks', isWaitingForNode).sort(byServiceAndSlot);
    if (waiting.length === 0) return;
    const result = scheduleTasks({ tasks: waiting, nodes: view.list('nodes'), allTasks: view.list('tasks'), rng: this.options.rng });
    if (!hasChanges(view, result)) return;
    try {
      await this.options.store.update((tx) => this.apply(tx, result));
    } catch (error) {
      if (isShoalError(error) && error.code === ERROR_CODES.CONFLICT) this.dirty = true;
      else this.options.onError?.(error);
    }
  }

  private apply(tx: WriteTx, result: ScheduleResult): void {
    const timestamp = new Date(this.options.clock.now()).toISOString();
    for (const { taskId, nodeId } of result.assignments) {
      const task = tx.get('tasks', taskId);
      if (!task || !isWaitingForNode(task)) continue;
      const status = { state: 'assigned' as const, timestamp, message: ASSIGNED_MESSAGE };
      tx.update('tasks', { ...task, nodeId, status });
    }
    for (const { taskId, reason } of result.unschedulable) {
      const task = tx.get('tasks', taskId);
      if (!task || !isWaitingForNode(task) || task.status.err === reason) continue;
      tx.update('tasks', { ...task, status: { ...task.status, err: reason } });
    }
  }
}

function hasChanges(view: ReadTx, result: ScheduleResult): boolean {
  if (result.assignments.length > 0) return true;
  return result.unschedulable.some((u) => view.get('tasks', u.taskId)?.status.err !== u.reason);
}
