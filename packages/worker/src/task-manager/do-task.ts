import { isTerminalState, taskStateRank, type Clock, type Task, type TaskState, type TaskStatus } from '@shoal/common';
import type { Controller, ContainerStatus, ExitStatus } from '../executor/controller.js';

/**
 * Takes one step of a task's life forward (swarmkit's exec.Do): reads task.status.state and
 * task.desiredState, calls the controller at most once or twice, and returns the new status.
 * It never moves a task backward; a status equal to the input means "nothing to do now".
 * Only shutdown failures throw (the caller retries them); other failures become task states.
 */
export async function doTask(task: Task, ctl: Controller, clock: Clock): Promise<TaskStatus> {
  const { status } = task;
  const to = (state: TaskState, message: string, extra: Partial<TaskStatus> = {}): TaskStatus =>
    withContainer({ ...status, state, message, timestamp: new Date(clock.now()).toISOString(), ...extra }, ctl);

  if (isTerminalState(status.state)) return status;
  if (taskStateRank(task.desiredState) > taskStateRank('running')) {
    await ctl.shutdown(task.spec.container.stopGracePeriodMs);
    return to('shutdown', 'shutdown');
  }
  switch (status.state) {
    case 'new':
    case 'pending':
    case 'assigned':
      return to('accepted', 'accepted');
    case 'accepted':
      return to('preparing', 'preparing');
    case 'preparing':
      return attempt(() => ctl.prepare(), () => to('ready', 'prepared'), (e) => to('rejected', 'preparing failed', { err: e }));
    case 'ready':
      if (taskStateRank(task.desiredState) < taskStateRank('running')) return status;
      return attempt(() => ctl.start(), () => to('starting', 'starting'), (e) => to('failed', 'starting failed', { err: e }));
    case 'starting':
      return started(task, ctl, to);
    case 'running':
      return attempt(() => ctl.wait(), (exit) => exited(exit, to), (e) => to('failed', 'waiting failed', { err: e }));
  }
  return status;
}

type To = (state: TaskState, message: string, extra?: Partial<TaskStatus>) => TaskStatus;

async function attempt<T>(op: () => Promise<T>, ok: (v: T) => TaskStatus, fail: (err: string) => TaskStatus): Promise<TaskStatus> {
  let value: T;
  try {
    value = await op();
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  return ok(value);
}

/**
 * starting → running, recording the container's address for the ingress table; a task with a
 * healthcheck starts as health `starting` (not serving) until the runtime says otherwise.
 */
async function started(task: Task, ctl: Controller, to: To): Promise<TaskStatus> {
  let info: ContainerStatus | undefined;
  try {
    info = await ctl.inspect();
  } catch {
    info = undefined;
  }
  const ip = info ? firstIp(info) : undefined;
  const extra: Partial<TaskStatus> = ip ? { containerIp: ip } : {};
  if (hasHealthcheck(task)) extra.health = 'starting';
  return to('running', 'started', extra);
}

function firstIp(info: ContainerStatus): string | undefined {
  return Object.values(info.networks)[0];
}

function exited(exit: ExitStatus, to: To): TaskStatus {
  if (exit.exitCode === 0 && !exit.reason) return to('complete', 'finished', { exitCode: 0 });
  const reason = exit.reason ? `: ${exit.reason}` : '';
  return to('failed', 'started', { exitCode: exit.exitCode, err: `task: non-zero exit (${exit.exitCode})${reason}` });
}

function withContainer(status: TaskStatus, ctl: Controller): TaskStatus {
  return ctl.containerId && !status.containerId ? { ...status, containerId: ctl.containerId } : status;
}

/** Whether the task's container runs a healthcheck (Docker's ["NONE"] turns the image's off). */
export function hasHealthcheck(task: Task): boolean {
  const test = task.spec.container.healthcheck?.test;
  return test !== undefined && test.length > 0 && test[0] !== 'NONE';
}
