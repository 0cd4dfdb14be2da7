import { isLaterState, isTerminalState, taskStateRank, type Clock, type Task, type TaskHealth, type TaskStatus } from '@shoal/common';
import type { Controller } from '../executor/controller.js';
import { doTask, hasHealthcheck } from './do-task.js';
import type { Timers, WorkerLog } from './timers.js';

export interface TaskManagerOptions {
  controller: Controller;
  clock: Clock;
  timers: Timers;
  onStatus(status: TaskStatus): void;
  log: WorkerLog;
  /** Delay before retrying a step that threw (a failed shutdown). */
  retryMs?: number;
  /**
   * How long a running task on overlay networks keeps running after it is told to stop, before
   * its container is stopped (default DRAIN_MS): the managers take it out of every node's VIP and
   * routing-mesh rules when its desired state changes, and the nodes need that long to hear it,
   * so new connections stop reaching it before it stops answering.
   */
  drainMs?: number;
}

export const DRAIN_MS = 1_000;

const DESIRED_CHANGED = Symbol('desired-changed');
const RETRY = Symbol('retry');

/**
 * Drives one task with doTask until it is terminal, reporting each new status. It waits on the
 * container while the task runs, and wakes when the task's desired state changes (shutdown or
 * remove). With desired state `remove`, it removes the container once the task is terminal.
 *
 *   loop: status ─doTask─▶ new status? ─▶ report ─▶ loop
 *                               │ no: terminal + remove ─▶ remove container ─▶ end
 *                               └ no: wait for a desired-state change ─▶ loop
 *
 * While a task with a healthcheck runs, the controller's health changes are reported as statuses
 * of the running task (same state, new `health`), outside the loop.
 */
export class TaskManager {
  private current: Task;
  private closed = false;
  private wake: () => void = () => {};
  private changed: Promise<void>;
  /** Bumped on every desired-state change, so that a change during a step is never missed. */
  private version = 0;
  /** Resolves when the loop has ended (terminal and removed, or closed). */
  readonly done: Promise<void>;
  /** Stops the controller's health watch; set while a task with a healthcheck runs. */
  private unwatchHealth: (() => void) | undefined;
  /** Set once the task has waited out its drain (see drainMs). */
  private drained = false;

  constructor(task: Task, private readonly o: TaskManagerOptions) {
    this.current = task;
    this.changed = this.nextChange();
    this.done = this.run();
  }

  get task(): Task {
    return this.current;
  }

  get controller(): Controller {
    return this.o.controller;
  }

  /** A newer copy of the task from the manager. The locally observed status wins unless theirs is later. */
  update(task: Task): void {
    const status = isLaterState(task.status.state, this.current.status.state) ? task.status : this.current.status;
    const desiredChanged = task.desiredState !== this.current.desiredState;
    this.current = { ...task, status };
    if (desiredChanged) this.signal();
  }

  /** Stops driving the task; its container is left as it is. */
  close(): Promise<void> {
    this.closed = true;
    this.signal();
    return this.done;
  }

  private nextChange(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private signal(): void {
    const wake = this.wake;
    this.version++;
    this.changed = this.nextChange();
    wake();
  }

  private async run(): Promise<void> {
    try {
      await this.loop();
    } finally {
      this.stopHealth();
    }
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      const before = this.current.status;
      const seen = this.version;
      const next = await this.step();
      if (this.closed) return;
      if (next === DESIRED_CHANGED || next === RETRY) continue;
      if (next !== before && taskStateRank(next.state) >= taskStateRank(before.state)) {
        this.current = { ...this.current, status: next };
        this.o.onStatus(next);
        continue;
      }
      if (isTerminalState(next.state) && this.current.desiredState === 'remove') {
        await this.removeContainer();
        return;
      }
      if (this.version === seen) await this.changed;
    }
  }

  /** One doTask; a running task's wait is abandoned when the desired state changes. */
  private async step(): Promise<TaskStatus | typeof DESIRED_CHANGED | typeof RETRY> {
    if (this.current.status.state === 'running') this.watchHealth();
    else if (isTerminalState(this.current.status.state)) this.stopHealth();
    if (this.mustDrain()) await this.drain();
    const changed = this.changed.then((): typeof DESIRED_CHANGED => DESIRED_CHANGED);
    const step = doTask(this.current, this.o.controller, this.o.clock);
    try {
      return this.current.status.state === 'running' ? await Promise.race([step, changed]) : await step;
    } catch (err) {
      this.o.log.warn({ taskId: this.current.id, error: (err as Error).message }, 'task step failed; retrying');
      await Promise.race([this.o.timers.sleep(this.o.retryMs ?? 1_000), this.changed]);
      return RETRY;
    }
  }

  /** A running task others reach over the network, told to stop: it keeps serving for drainMs first. */
  private mustDrain(): boolean {
    const t = this.current;
    return !this.drained && t.status.state === 'running' && taskStateRank(t.desiredState) > taskStateRank('running') && (t.networks?.length ?? 0) > 0;
  }

  private async drain(): Promise<void> {
    this.drained = true;
    const ms = this.o.drainMs ?? DRAIN_MS;
    if (ms <= 0) return;
    this.o.log.debug({ taskId: this.current.id, ms }, 'draining before stop');
    await this.o.timers.sleep(ms);
  }

  private watchHealth(): void {
    if (this.unwatchHealth || !this.o.controller.watchHealth || !hasHealthcheck(this.current)) return;
    this.unwatchHealth = this.o.controller.watchHealth((health) => this.healthChanged(health));
  }

  private stopHealth(): void {
    const unwatch = this.unwatchHealth;
    this.unwatchHealth = undefined;
    unwatch?.();
  }

  /** A running task's health changed: the same state, reported again with the new verdict. */
  private healthChanged(health: TaskHealth): void {
    const status = this.current.status;
    if (this.closed || status.state !== 'running' || status.health === health) return;
    const next: TaskStatus = { ...status, health, timestamp: new Date(this.o.clock.now()).toISOString() };
    this.current = { ...this.current, status: next };
    this.o.onStatus(next);
  }

  private async removeContainer(): Promise<void> {
    for (;;) {
      try {
        await this.o.controller.remove();
        return;
      } catch (err) {
        this.o.log.warn({ taskId: this.current.id, error: (err as Error).message }, 'could not remove container; retrying');
        await this.o.timers.sleep(this.o.retryMs ?? 1_000);
        if (this.closed) return;
      }
    }
  }
}
