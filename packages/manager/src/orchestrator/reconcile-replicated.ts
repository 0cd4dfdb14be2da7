import type { Node, Service, Task } from '@shoal/common';
import { assert } from '@shoal/common';
import { emptyPlan, mergePlans, type Plan } from './plan.js';
import { reconcileSlot, type SlotInput } from './reconcile-slot.js';
import { evictionCheck } from './constraint-enforcer.js';
import { combineSlots } from './rolling-update.js';
import { isRunnable, nodeMap } from './task-facts.js';

export interface ReconcileInput {
  service: Service;
  /** The service's tasks (all states). */
  tasks: readonly Task[];
  nodes: readonly Node[];
  now: number;
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

/**
 * Replicated services: slots 1..replicas each hold one live task. Missing slots get a pending
 * task, slots above the count are shut down (highest first), tasks on lost nodes are replaced at
 * once, dead tasks as the restart policy says, tasks on drained or no longer matching nodes
 * make-before-break, and dirty tasks are rolled one slot at a time, stop-first.
 */
export function reconcileReplicated(input: ReconcileInput): Plan {
  const { service } = input;
  assert(service.spec.mode.kind === 'replicated', 'reconcileReplicated needs a replicated service');
  const replicas = service.spec.mode.replicas;
  const nodes = nodeMap(input.nodes);
  const slots = groupBySlot(input.tasks);
  const mustMove = evictionCheck(nodes);
  const results = [];
  for (let slot = 1; slot <= replicas; slot++) {
    const slotInput: SlotInput = {
      service, slot, nodeId: '', tasks: slots.get(slot) ?? [], nodes, now: input.now, canCreate: true, replaceOnDownNode: true, mustMove,
    };
    results.push({ input: slotInput, outcome: reconcileSlot(slotInput) });
  }
  return mergePlans(scaleDown(slots, replicas), combineSlots(results));
}
