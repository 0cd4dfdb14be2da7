import type { Clock, Network, Task } from '@shoal/common';
import { BatchLoop } from '../batch-loop.js';
import { byServiceAndSlot } from '../scheduler/scheduler.js';
import type { ReadTx, Store, WatchEvent, WriteTx } from '../store/types.js';
import { heldAddressKeys, vipKeys } from '../store/indexes.js';
import { GLOBAL_ASSIGNED_MESSAGE, PENDING_MESSAGE } from '../orchestrator/new-task.js';
import { planTaskAddresses, type TaskAddressResult } from './task-addresses.js';
import { UsedAddresses } from './used-addresses.js';

export interface AllocatorOptions {
  store: Store;
  clock: Clock;
  /** Runs `fn` soon (setImmediate in io/); events that arrive before it runs share one batch. */
  schedule: (fn: () => void) => void;
  /** Told about failed batches other than conflicts (which are retried). */
  onError?: (error: unknown) => void;
}

/** Tasks allocated (or told why not) in one transaction, at most. */
export const MAX_ALLOCATIONS_PER_BATCH = 2_000;

/** A task waiting for its addresses: NEW and meant to run. */
export function isWaitingForAddresses(task: Task): boolean {
  return task.status.state === 'new' && task.desiredState === 'running';
}

const fewer = (before: readonly string[], after: readonly string[]) => before.some((k) => !after.includes(k));

/** An event after which a batch may do something: a task waits, or addresses were freed. */
function isRelevant(event: WatchEvent): boolean {
  if (event.table === 'networks') return true;
  if (event.table === 'tasks') {
    if (event.kind !== 'remove' && isWaitingForAddresses(event.object)) return true;
    if (event.kind === 'remove') return heldAddressKeys(event.object).length > 0;
    return event.kind === 'update' && fewer(heldAddressKeys(event.old), heldAddressKeys(event.object));
  }
  if (event.table === 'services') {
    if (event.kind === 'remove') return vipKeys(event.object).length > 0;
    return event.kind === 'update' && fewer(vipKeys(event.old), vipKeys(event.object));
  }
  return false;
}

/** Looks a service's network target up by name (as control stores it), else by ID. */
function lookup(view: ReadTx): (target: string) => Network | undefined {
  return (target) => view.byIndex('networks', 'name', target)[0] ?? view.get('networks', target);
}

/**
 * The leader's allocation pass (swarmkit's allocator, as a loop around a pure core): watches the
 * store, and in batches gives every NEW task its addresses (`planTaskAddresses`), moving it to
 * pending (or assigned, when it already has its node: global tasks), in one transaction of at
 * most MAX_ALLOCATIONS_PER_BATCH tasks. A task that finds a network full stays NEW with the
 * reason in `status.err`, and is tried again when an address is freed.
 */
export class Allocator {
  private unwatch: (() => void) | undefined;
  private readonly loop: BatchLoop;
  /** networkId → the last address handed out: where the next search starts. */
  private readonly cursors = new Map<string, number>();

  constructor(private readonly options: AllocatorOptions) {
    this.loop = new BatchLoop(options.schedule, () => this.commit());
  }

  start(): void {
    if (this.unwatch) return;
    this.unwatch = this.options.store.watch((events) => {
      if (events.some(isRelevant)) this.loop.request();
    }, { tables: ['tasks', 'services', 'networks'] });
    this.loop.start();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.loop.stop();
  }

  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  runBatch(): Promise<void> {
    return this.loop.runBatch();
  }

  private async commit(): Promise<void> {
    const view = this.options.store.view();
    const waiting = view.byIndex('tasks', 'state', 'new').filter(isWaitingForAddresses).sort(byServiceAndSlot);
    if (waiting.length === 0) return;
    const used = new UsedAddresses({ tasksOn: (id) => view.byIndex('tasks', 'network', id), servicesOn: (id) => view.byIndex('services', 'vipNetwork', id) });
    const result = planTaskAddresses({ tasks: waiting, networks: lookup(view), used, cursors: this.cursors, max: MAX_ALLOCATIONS_PER_BATCH });
    if (result.allocated.length + result.failed.length >= MAX_ALLOCATIONS_PER_BATCH) this.loop.again();
    const changed = { allocated: result.allocated, failed: result.failed.filter((f) => view.get('tasks', f.taskId)?.status.err !== f.err) };
    if (changed.allocated.length === 0 && changed.failed.length === 0) return;
    await this.loop.commit(() => this.options.store.update((tx) => this.apply(tx, changed)), this.options.onError);
  }

  private apply(tx: WriteTx, result: TaskAddressResult): void {
    const timestamp = new Date(this.options.clock.now()).toISOString();
    for (const { taskId, networks } of result.allocated) {
      const task = tx.get('tasks', taskId);
      if (!task || !isWaitingForAddresses(task)) continue;
      const assigned = task.nodeId !== '';
      const status = { state: assigned ? ('assigned' as const) : ('pending' as const), timestamp, message: assigned ? GLOBAL_ASSIGNED_MESSAGE : PENDING_MESSAGE };
      const { networks: _none, ...rest } = task;
      tx.update('tasks', { ...rest, ...(networks.length > 0 ? { networks } : {}), status });
    }
    for (const { taskId, err } of result.failed) {
      const task = tx.get('tasks', taskId);
      if (!task || !isWaitingForAddresses(task) || task.status.err === err) continue;
      tx.update('tasks', { ...task, status: { ...task.status, err } });
    }
  }
}
