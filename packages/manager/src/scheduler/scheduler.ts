import type { Clock, Rng, Task } from '@shoal/common';
import { BatchLoop } from '../batch-loop.js';
import type { ReadTx, Store, WatchEvent, WriteTx } from '../store/types.js';
import { holdsPlaceOnNode } from './node-info.js';
import { NodeSet } from './node-set.js';
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

/**
 * Writes in one scheduling transaction, at most: a Raft entry stays small, and the tasks left
 * over are placed by the next batches.
 */
export const MAX_WRITES_PER_BATCH = 2_000;

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

/** Tasks in a stable order: by service, then slot, then ID. */
export function byServiceAndSlot(a: Task, b: Task): number {
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
  private unwatch: (() => void) | undefined;
  private readonly loop: BatchLoop;
  private readonly nodeSet = new NodeSet();

  constructor(private readonly options: SchedulerOptions) {
    this.loop = new BatchLoop(options.schedule, () => this.commit());
  }

  start(): void {
    if (this.unwatch) return;
    this.unwatch = this.options.store.watch(
      (events) => {
        this.nodeSet.apply(events);
        if (events.some(isRelevant)) this.loop.request();
      },
      { tables: ['nodes', 'tasks'] },
    );
    this.nodeSet.load(this.options.store.view());
    this.loop.start();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.loop.stop();
  }

  /** Resolves once no batch is running. */
  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  /** Runs one batch now (the scheduled callback does this). */
  runBatch(): Promise<void> {
    return this.loop.runBatch();
  }

  private async commit(): Promise<void> {
    const view = this.options.store.view();
    const waiting = view.byIndex('tasks', 'state', 'pending').filter(isWaitingForNode).sort(byServiceAndSlot);
    if (waiting.length === 0) return;
    const input = { tasks: waiting, nodes: [], nodeInfos: this.nodeSet.list(), maxAssignments: MAX_WRITES_PER_BATCH, rng: this.options.rng };
    const result = capWrites(view, scheduleTasks(input));
    // More to place (or to explain) than one transaction carries: the next batch goes on.
    if (result.assignments.length + result.unschedulable.length >= MAX_WRITES_PER_BATCH) this.loop.again();
    if (!hasChanges(view, result)) return;
    await this.loop.commit(() => this.options.store.update((tx) => this.apply(tx, result)), this.options.onError);
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

/** The assignments, then the new "no suitable node" reasons, up to MAX_WRITES_PER_BATCH writes. */
function capWrites(view: ReadTx, result: ScheduleResult): ScheduleResult {
  const room = MAX_WRITES_PER_BATCH - result.assignments.length;
  const changed = result.unschedulable.filter((u) => view.get('tasks', u.taskId)?.status.err !== u.reason);
  return { assignments: result.assignments, unschedulable: changed.slice(0, Math.max(0, room)) };
}

function hasChanges(view: ReadTx, result: ScheduleResult): boolean {
  if (result.assignments.length > 0) return true;
  return result.unschedulable.some((u) => view.get('tasks', u.taskId)?.status.err !== u.reason);
}
