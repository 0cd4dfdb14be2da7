import { DEFAULT_TASK_HISTORY_LIMIT, ERROR_CODES, maxReplicasOf, isLaterState, isShoalError, newId, type Clock, type Cluster, type Node, type Rng, type Service, type Task } from '@shoal/common';
import type { ReadTx, Store, WatchEvent, WriteTx } from '../store/types.js';
import { isEmptyPlan, type Plan } from './plan.js';
import { planService } from './plan-service.js';
import { withNetworkState } from './new-task.js';

export interface OrchestratorOptions {
  store: Store;
  clock: Clock;
  rng: Rng;
  /** Runs `fn` after `delayMs` (0: soon, batching events); returns a function that cancels it. */
  schedule: (delayMs: number, fn: () => void) => () => void;
  /** Told about failed commits other than conflicts (which are retried). */
  onError?: (error: unknown) => void;
}

function servicesTouchedBy(event: WatchEvent, view: ReadTx): string[] {
  switch (event.table) {
    case 'services':
      return [event.object.id];
    case 'tasks':
      return [event.object.serviceId];
    case 'clusters':
      // Only the task history and replica limits of the cluster object change what the reconcilers plan.
      if (event.kind === 'update' && !limitsChanged(event.old, event.object)) return [];
      return allServiceIds(view);
    case 'nodes':
      return servicesTouchedByNode(event.object.id, view);
    case 'networks':
      return [];
  }
}

/**
 * A node change can only change the plans of services that have tasks on that node (lost,
 * drained, no longer matching their constraints) and of global services (one task per eligible
 * node). Placing a replicated service's waiting tasks is the scheduler's job, not a re-plan.
 */
function servicesTouchedByNode(nodeId: string, view: ReadTx): string[] {
  const ids = new Set(view.byIndex('services', 'mode', 'global').map((s) => s.id));
  for (const task of view.byIndex('tasks', 'nodeId', nodeId)) ids.add(task.serviceId);
  return [...ids];
}

function limitsChanged(old: Cluster, now: Cluster): boolean {
  return old.spec.taskHistoryRetentionLimit !== now.spec.taskHistoryRetentionLimit || maxReplicasOf(old) !== maxReplicasOf(now);
}

/** Services in the store, plus removed ones that still have tasks. */
function allServiceIds(view: ReadTx): string[] {
  const ids = new Set(view.list('services').map((s) => s.id));
  for (const serviceId of view.indexKeys('tasks', 'serviceId')) ids.add(serviceId);
  return [...ids];
}

/**
 * The nodes a service's plan needs: every node for a global service; for the others only the
 * nodes their tasks are on (the reconcilers only look those up: absent means removed).
 */
function nodesFor(view: ReadTx, service: Service | undefined, tasks: readonly Task[]): Node[] {
  if (service?.spec.mode.kind === 'global') return view.list('nodes');
  const nodes: Node[] = [];
  for (const nodeId of new Set(tasks.map((t) => t.nodeId))) {
    const node = nodeId === '' ? undefined : view.get('nodes', nodeId);
    if (node) nodes.push(node);
  }
  return nodes;
}

function readPlan(view: ReadTx, serviceId: string, now: number): { plan: Plan; tasks: Map<string, Task> } {
  const tasks = view.byIndex('tasks', 'serviceId', serviceId);
  const cluster = view.list('clusters')[0];
  const retentionLimit = cluster?.spec.taskHistoryRetentionLimit ?? DEFAULT_TASK_HISTORY_LIMIT;
  const service = view.get('services', serviceId);
  const nodes = nodesFor(view, service, tasks);
  const plan = planService({ service, tasks, nodes, now, retentionLimit, maxReplicas: maxReplicasOf(cluster) });
  return { plan, tasks: new Map(tasks.map((t) => [t.id, t])) };
}

/**
 * The orchestrator loop: collects the services that store events touch, plans each one with the
 * pure reconcilers and commits each plan in one transaction. Writes carry the versions that were
 * read, so a task that changed meanwhile makes the commit conflict; the service is then planned
 * again. A plan's `wakeAt` (delayed restarts) arms a timer through `schedule`.
 */
export class Orchestrator {
  private unwatch: (() => void) | undefined;
  private readonly dirty = new Set<string>();
  private queued = false;
  private running: Promise<void> | undefined;
  private readonly wakeups = new Map<string, { at: number; cancel: () => void }>();

  constructor(private readonly options: OrchestratorOptions) {}

  start(): void {
    if (this.unwatch) return;
    const { store } = this.options;
    this.unwatch = store.watch((events) => {
      for (const event of events) this.markDirty(servicesTouchedBy(event, store.view()));
    });
    this.markDirty(allServiceIds(store.view()));
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    for (const wakeup of this.wakeups.values()) wakeup.cancel();
    this.wakeups.clear();
  }

  /** Resolves once no batch is running. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Plans and commits every dirty service now (the scheduled callback does this). */
  runBatch(): Promise<void> {
    if (this.running) return this.running;
    const ids = [...this.dirty];
    this.dirty.clear();
    this.running = Promise.all(ids.map((id) => this.reconcile(id))).then(() => {
      this.running = undefined;
      if (this.dirty.size > 0) this.request();
    });
    return this.running;
  }

  private markDirty(ids: readonly string[]): void {
    for (const id of ids) this.dirty.add(id);
    if (ids.length > 0) this.request();
  }

  private request(): void {
    if (!this.unwatch || this.queued) return;
    this.queued = true;
    this.options.schedule(0, () => {
      this.queued = false;
      if (this.unwatch) void this.runBatch();
    });
  }

  private async reconcile(serviceId: string): Promise<void> {
    try {
      const now = this.options.clock.now();
      const { plan, tasks } = readPlan(this.options.store.view(), serviceId, now);
      if (plan.wakeAt !== undefined) this.wakeAt(serviceId, plan.wakeAt, now);
      if (isEmptyPlan(plan)) return;
      await this.options.store.update((tx) => this.apply(tx, plan, tasks));
    } catch (error) {
      if (isShoalError(error) && error.code === ERROR_CODES.CONFLICT) this.dirty.add(serviceId);
      else this.options.onError?.(error);
    }
  }

  private apply(tx: WriteTx, plan: Plan, read: Map<string, Task>): void {
    for (const change of plan.update) {
      const task = read.get(change.taskId);
      if (task && isLaterState(change.desiredState, task.desiredState)) {
        tx.update('tasks', { ...task, desiredState: change.desiredState });
      }
    }
    for (const id of plan.remove) if (read.has(id)) tx.remove('tasks', id);
    for (const draft of plan.create) tx.create('tasks', { id: newId(this.options.rng), ...withNetworkState(draft, tx) });
  }

  private wakeAt(serviceId: string, at: number, now: number): void {
    const existing = this.wakeups.get(serviceId);
    if (existing && existing.at <= at && existing.at > now) return;
    existing?.cancel();
    const cancel = this.options.schedule(Math.max(0, at - now), () => {
      this.wakeups.delete(serviceId);
      this.markDirty([serviceId]);
    });
    this.wakeups.set(serviceId, { at, cancel });
  }
}
