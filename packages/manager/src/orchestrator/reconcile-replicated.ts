import type { Node, Service, Task } from '@shoal/common';
import { assert } from '@shoal/common';
import { emptyPlan, mergePlans, type Plan } from './plan.js';
import { reconcileSlot, type SlotInput } from './reconcile-slot.js';
import { evictionCheck } from './constraint-enforcer.js';
import { combineSlots, type SlotResult } from './rolling-update.js';
import { newTaskBudget } from './create-budget.js';
import { isRunnable, nodeMap } from './task-facts.js';

export interface ReconcileInput {
  service: Service;
  /** The service's tasks (all states). */
  tasks: readonly Task[];
  nodes: readonly Node[];
  now: number;
  /**
   * The cluster's replica limit. A service stored with more (before the limit existed) is
   * reconciled as if it asked for this many: the store never holds more slots than a manager can.
   */
  maxReplicas?: number;
  /** At most this many tasks for empty slots in this pass (default `newTaskBudget`); later passes do the rest. */
  maxNewTasks?: number;
}

function groupBySlot(tasks: readonly Task[]): Map<number, Task[]> {
  const slots = new Map<number, Task[]>();
  for (const task of tasks) {
    const list = slots.get(task.slot) ?? [];
    list.push(task);
    slots.set(task.slot, list);
  }
  return slots;
}

/** Slots above the replica count are scaled away: their runnable tasks are shut down. */
function scaleDown(slots: Map<number, Task[]>, replicas: number): Plan {
  const plan = emptyPlan();
  const extra = [...slots.keys()].filter((s) => s > replicas).sort((a, b) => b - a);
  for (const slot of extra) {
    for (const task of slots.get(slot)!.filter(isRunnable)) plan.update.push({ taskId: task.id, desiredState: 'shutdown' });
  }
  return plan;
}

/** The first `count` slots in 1..replicas that hold no task, without walking the whole range. */
function emptySlots(slots: Map<number, Task[]>, replicas: number, count: number): number[] {
  const out: number[] = [];
  for (let slot = 1; slot <= replicas && out.length < count; slot++) if (!slots.has(slot)) out.push(slot);
  return out;
}

/**
 * Replicated services: slots 1..replicas each hold one live task. Missing slots get a pending
 * task, slots above the count are shut down (highest first), tasks on lost nodes are replaced at
 * once, dead tasks as the restart policy says, tasks on drained or no longer matching nodes
 * make-before-break, and dirty tasks are rolled one slot at a time, stop-first.
 *
 * Work is bounded by the tasks that exist, not by the replica count: slots holding tasks are
 * visited, and only as many empty slots as the pass may fill (`maxNewTasks`, less what the
 * other slots already create); the next pass, woken by these tasks' events, fills more.
 */
export function reconcileReplicated(input: ReconcileInput): Plan {
  const { service } = input;
  assert(service.spec.mode.kind === 'replicated', 'reconcileReplicated needs a replicated service');
  const replicas = Math.min(service.spec.mode.replicas, input.maxReplicas ?? Number.POSITIVE_INFINITY);
  const nodes = nodeMap(input.nodes);
  const slots = groupBySlot(input.tasks);
  const mustMove = evictionCheck(nodes);
  const visit = (slot: number): SlotResult => {
    const slotInput: SlotInput = {
      service, slot, nodeId: '', tasks: slots.get(slot) ?? [], nodes, now: input.now, canCreate: true, replaceOnDownNode: true, mustMove,
    };
    return { input: slotInput, outcome: reconcileSlot(slotInput) };
  };
  const results = [...slots.keys()].filter((s) => s >= 1 && s <= replicas).map(visit);
  const created = results.reduce((n, r) => n + r.outcome.plan.create.length, 0);
  const budget = Math.max(0, (input.maxNewTasks ?? newTaskBudget(service)) - created);
  for (const slot of emptySlots(slots, replicas, budget)) results.push(visit(slot));
  results.sort((a, b) => a.input.slot - b.input.slot);
  return mergePlans(scaleDown(slots, replicas), combineSlots(results));
}
