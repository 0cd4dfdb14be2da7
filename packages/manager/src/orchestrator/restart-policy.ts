import { isTerminalState, type Task } from '@shoal/common';
import { deepEqual } from './deep-equal.js';
import { createdAtMs, newestFirst, stateSinceMs } from './task-facts.js';

export type RestartDecision = { restart: false } | { restart: true; notBefore: number };

/** Exited badly: failed, rejected, orphaned, or shut down with a non-zero exit code. */
export function endedInFailure(task: Task): boolean {
  const state = task.status.state;
  if (state === 'failed' || state === 'rejected' || state === 'orphaned') return true;
  return state === 'shutdown' && (task.status.exitCode ?? 0) !== 0;
}

function conditionAllows(task: Task): boolean {
  switch (task.spec.restartPolicy.condition) {
    case 'none':
      return false;
    case 'on-failure':
      return endedInFailure(task);
    case 'any':
      return true;
  }
}

/**
 * Whether the task stopped of its own accord, so that the task created after it was a restart.
 * Not so for a task replaced while it still ran (its node went down, or it was moved off a
 * drained node): it is not terminal then, and reports `shutdown` when its node stops it later.
 */
function stoppedByItself(task: Task): boolean {
  if (!isTerminalState(task.status.state)) return false;
  return task.status.state !== 'shutdown' || endedInFailure(task);
}

/**
 * Restarts already made for the dead task's slot: tasks of the slot with the same spec created
 * after one of that series stopped by itself (so neither the first of the series nor a task that
 * replaced one lost with its node or moved off a drained node), created within the window before
 * the dead task stopped (0 = whole life). The window is anchored on the stop time so that the
 * decision does not change with when it is taken. History pruning bounds what is visible (see README).
 */
export function restartsMade(dead: Task, slotTasks: readonly Task[]): number {
  const series = slotTasks.filter((t) => deepEqual(t.spec, dead.spec)).sort(newestFirst).reverse();
  const windowMs = dead.spec.restartPolicy.windowMs;
  const since = windowMs > 0 ? stateSinceMs(dead) - windowMs : -Infinity;
  return series.filter((t, i) => i > 0 && stoppedByItself(series[i - 1]!) && createdAtMs(t) >= since).length;
}

/**
 * Whether the slot whose live task `dead` stopped while meant to run gets a new task, and from
 * when (the task's stop time plus the policy's delay). Uses the task's own restart policy.
 */
export function decideRestart(dead: Task, slotTasks: readonly Task[]): RestartDecision {
  if (!conditionAllows(dead)) return { restart: false };
  const { maxAttempts, delayMs } = dead.spec.restartPolicy;
  if (maxAttempts > 0 && restartsMade(dead, slotTasks) >= maxAttempts) return { restart: false };
  return { restart: true, notBefore: stateSinceMs(dead) + delayMs };
}
