/**
 * Task states, in the order a task moves through them (swarmkit's task model).
 * A task's observed state only ever moves forward: compare with `taskStateRank`.
 */
export const TASK_STATES = [
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
  'complete',
  'shutdown',
  'failed',
  'rejected',
  'remove',
  'orphaned',
] as const;

export type TaskState = (typeof TASK_STATES)[number];

export function taskStateRank(state: TaskState): number {
  return TASK_STATES.indexOf(state);
}

/** True when `a` comes strictly after `b` in the task life cycle. */
export function isLaterState(a: TaskState, b: TaskState): boolean {
  return taskStateRank(a) > taskStateRank(b);
}

/** A task in one of these states has no container running and never will again. */
export function isTerminalState(state: TaskState): boolean {
  return taskStateRank(state) >= taskStateRank('complete');
}

/** A task counts towards its service's replicas while it is at most running and meant to run. */
export function isActiveState(state: TaskState): boolean {
  return taskStateRank(state) <= taskStateRank('running');
}
