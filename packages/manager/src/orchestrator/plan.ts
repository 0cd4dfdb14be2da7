import { taskStateRank, type Task, type TaskState } from '@shoal/common';

/** A task to create: the orchestrator loop gives it an ID (`newId(rng)`); the store fills `meta`. */
export type NewTask = Omit<Task, 'id' | 'meta'>;

/** Desired state only moves forward: the loop applies a change only if it is later than the stored one. */
export interface DesiredStateChange {
  taskId: string;
  desiredState: TaskState;
}

/** A restart that the restart policy delays: the slot (or node, for global services) gets its task at `notBefore`. */
export interface DelayedRestart {
  slot: number;
  nodeId: string;
  notBefore: number;
}

/**
 * What a reconciler wants done for one service. Effects are data: the orchestrator loop commits a
 * plan in one store transaction.
 */
export interface Plan {
  create: NewTask[];
  update: DesiredStateChange[];
  /** IDs of tasks to delete from the store (dead history, tasks of removed services). */
  remove: string[];
  /** Restarts waiting for their delay; informative, `wakeAt` is what the loop acts on. */
  delayed: DelayedRestart[];
  /** The earliest time (ms since epoch) at which reconciling again may do more. */
  wakeAt?: number | undefined;
}

export function emptyPlan(): Plan {
  return { create: [], update: [], remove: [], delayed: [] };
}

export function isEmptyPlan(plan: Plan): boolean {
  return plan.create.length === 0 && plan.update.length === 0 && plan.remove.length === 0;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * Concatenates plans. A task removed by any plan gets no desired-state change; of several changes
 * to one task the latest state wins.
 */
export function mergePlans(...plans: Plan[]): Plan {
  return mergePlanList(plans);
}

/** `mergePlans` over an array (no spread: a service may have more slots than a call has arguments). */
export function mergePlanList(plans: readonly Plan[]): Plan {
  const merged = emptyPlan();
  const removed = new Set<string>();
  for (const plan of plans) {
    for (const task of plan.create) merged.create.push(task);
    for (const change of plan.update) merged.update.push(change);
    for (const id of plan.remove) removed.add(id);
    for (const delayed of plan.delayed) merged.delayed.push(delayed);
    const wakeAt = earliest(merged.wakeAt, plan.wakeAt);
    if (wakeAt !== undefined) merged.wakeAt = wakeAt;
  }
  merged.remove = [...removed];
  const latest = new Map<string, DesiredStateChange>();
  for (const change of merged.update) {
    const seen = latest.get(change.taskId);
    if (removed.has(change.taskId)) continue;
    if (!seen || taskStateRank(change.desiredState) > taskStateRank(seen.desiredState)) latest.set(change.taskId, change);
  }
  merged.update = [...latest.values()];
  return merged;
}

/** The tasks as they would be after the plan's desired-state changes (used to chain pure steps). */
export function withDesiredStates(tasks: readonly Task[], changes: readonly DesiredStateChange[]): Task[] {
  const byId = new Map(changes.map((c) => [c.taskId, c.desiredState]));
  return tasks.map((t) => {
    const desiredState = byId.get(t.id);
    return desiredState === undefined ? t : { ...t, desiredState };
  });
}
