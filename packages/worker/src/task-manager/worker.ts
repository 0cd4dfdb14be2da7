import type { Clock, Task, TaskStatus } from '@shoal/common';
import type { Controller } from '../executor/controller.js';
import type { Executor, ManagedContainer } from '../executor/executor.js';
import { EngineSlots } from './engine-slots.js';
import { TaskManager } from './task-manager.js';
import { silentLog, type Timers, type WorkerLog } from './timers.js';

export interface WorkerOptions {
  nodeId: string;
  executor: Executor;
  clock: Clock;
  /** Called on every change of a task's observed status (the agent batches them). */
  onStatus(taskId: string, status: TaskStatus): void;
  /** Needed only to retry failed shutdowns; defaults to retrying on the next assignment. */
  timers?: Timers;
  log?: WorkerLog;
  /** Grace period used to stop containers whose task is unknown. */
  orphanGracePeriodMs?: number;
  /** TaskManagerOptions.drainMs; without `timers` there is no drain (nothing could end it). */
  drainMs?: number;
  /** Container creates and starts in flight at once (EngineSlots); default the executor's engineSlots, else no bound. */
  engineSlots?: number;
}

const noTimers: Timers = { sleep: () => new Promise<void>(() => {}) };

/**
 * Holds the tasks assigned to this node, one TaskManager each. Containers left by an earlier agent
 * are adopted: a task assigned again finds its container instead of creating one, and containers
 * of tasks missing from the first full assignment are stopped and removed. A task that leaves the
 * assignment set loses its container; a terminal task keeps it until then (for history).
 */
export class Worker {
  private readonly managers = new Map<string, TaskManager>();
  /** Containers found at start, by task id, until the first full assignment settles them. */
  private adoptable: Map<string, ManagedContainer> | undefined;
  private readonly background = new Set<Promise<void>>();
  private readonly log: WorkerLog;
  private readonly slots: EngineSlots | undefined;

  constructor(private readonly o: WorkerOptions) {
    this.log = o.log ?? silentLog;
    const slots = o.engineSlots ?? o.executor.engineSlots;
    this.slots = slots === undefined ? undefined : new EngineSlots(slots);
  }

  /** Finds this node's containers from an earlier run, to adopt them on the first full assignment. */
  async start(): Promise<void> {
    const found = await this.o.executor.listManagedContainers();
    const mine = found.filter((c) => c.nodeId === this.o.nodeId && c.taskId !== '');
    this.adoptable = new Map(mine.map((c) => [c.taskId, c]));
    if (mine.length > 0) this.log.info({ count: mine.length }, 'found containers to adopt');
  }

  /** The full set of tasks assigned to this node. Tasks missing from it are removed. */
  setAssignments(tasks: Task[]): void {
    const ids = new Set(tasks.map((t) => t.id));
    for (const id of [...this.managers.keys()]) if (!ids.has(id)) this.removeTask(id);
    for (const t of tasks) this.addOrUpdate(t);
    this.removeOrphans(ids);
  }

  /** Alias of setAssignments. */
  assign(tasks: Task[]): void {
    this.setAssignments(tasks);
  }

  /** An incremental change: tasks added or updated, and ids of tasks no longer assigned. */
  updateAssignments(updated: Task[], removedTaskIds: string[]): void {
    for (const id of removedTaskIds) this.removeTask(id);
    for (const t of updated) this.addOrUpdate(t);
  }

  addOrUpdate(task: Task): void {
    const tm = this.managers.get(task.id);
    if (tm) return tm.update(task);
    const created = new TaskManager(task, {
      controller: this.bounded(this.o.executor.controllerFor(task)),
      clock: this.o.clock,
      timers: this.o.timers ?? noTimers,
      onStatus: (status) => this.o.onStatus(task.id, status),
      log: this.log,
      ...(this.o.timers ? (this.o.drainMs === undefined ? {} : { drainMs: this.o.drainMs }) : { drainMs: 0 }),
    });
    this.managers.set(task.id, created);
    void created.done.then(() => this.forget(task.id, created));
  }

  /** The task is no longer assigned: stop driving it, then stop and remove its container. */
  removeTask(taskId: string): void {
    const tm = this.managers.get(taskId);
    if (!tm) return;
    this.managers.delete(taskId);
    this.track(this.dispose(tm));
  }

  /** The newest observed status of every task held. */
  statuses(): Map<string, TaskStatus> {
    return new Map([...this.managers].map(([id, tm]) => [id, tm.task.status]));
  }

  /** The controllers of the tasks held (e.g. to read container addresses). */
  taskManagers(): TaskManager[] {
    return [...this.managers.values()];
  }

  /** Resolves when background removals have finished. */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /** Stops driving every task; containers keep running (an agent restart adopts them). */
  async stop(): Promise<void> {
    await Promise.all([...this.managers.values()].map((tm) => tm.close()));
    await this.settled();
  }

  /** Stops and removes every container of this node (swarm leave). */
  async removeAll(): Promise<void> {
    for (const id of [...this.managers.keys()]) this.removeTask(id);
    await this.settled();
    const left = await this.o.executor.listManagedContainers();
    const grace = this.o.orphanGracePeriodMs ?? 10_000;
    for (const c of left.filter((c) => c.nodeId === this.o.nodeId)) await this.o.executor.removeContainer(c.containerId, grace);
  }

  private bounded(ctl: Controller): Controller {
    return this.slots ? this.slots.bound(ctl) : ctl;
  }

  private forget(taskId: string, tm: TaskManager): void {
    // A task removed after its loop ended (desired state remove) no longer needs a manager.
    if (this.managers.get(taskId) === tm && tm.task.desiredState === 'remove') this.managers.delete(taskId);
  }

  private async dispose(tm: TaskManager): Promise<void> {
    await tm.close();
    const ctl = tm.controller;
    try {
      await ctl.shutdown(tm.task.spec.container.stopGracePeriodMs);
      await ctl.remove();
    } catch (err) {
      this.log.warn({ taskId: tm.task.id, error: (err as Error).message }, 'could not remove container of a removed task');
    }
  }

  /** After the first full assignment, containers of tasks it does not hold are stopped and removed. */
  private removeOrphans(assigned: Set<string>): void {
    const adoptable = this.adoptable;
    this.adoptable = new Map();
    if (!adoptable) return;
    const grace = this.o.orphanGracePeriodMs ?? 10_000;
    for (const [taskId, c] of adoptable) {
      if (assigned.has(taskId)) continue;
      this.log.info({ taskId, containerId: c.containerId }, 'removing container of a task no longer assigned');
      this.track(this.o.executor.removeContainer(c.containerId, grace).catch((err: Error) => this.log.warn({ error: err.message }, 'could not remove orphan container')));
    }
  }

  private track(p: Promise<void>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }
}
