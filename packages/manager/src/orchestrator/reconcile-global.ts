import type { Node, Task } from '@shoal/common';
import { assert } from '@shoal/common';
import { compileConstraints, type NodeMatcher } from '../scheduler/constraint.js';
import { emptyPlan, mergePlans, type Plan } from './plan.js';
import type { ReconcileInput } from './reconcile-replicated.js';
import { reconcileSlot, type SlotInput } from './reconcile-slot.js';
import { combineSlots } from './rolling-update.js';
import { isRunnable, nodeMap } from './task-facts.js';

function matcherFor(constraints: readonly string[]): NodeMatcher {
  try {
    return compileConstraints(constraints);
  } catch {
    return () => false;
  }
}

/** A node keeps its global task unless drained or no longer matching (being down is not enough). */
function keepsTasks(node: Node, matches: NodeMatcher): boolean {
  return node.spec.availability !== 'drain' && matches(node);
}

/** A node gets a new global task when it is ready, active and matches the constraints. */
function takesNewTask(node: Node, matches: NodeMatcher): boolean {
  return node.status.state === 'ready' && node.spec.availability === 'active' && matches(node);
}

function groupByNode(tasks: readonly Task[]): Map<string, Task[]> {
  const byNode = new Map<string, Task[]>();
  for (const task of tasks) {
    const list = byNode.get(task.nodeId) ?? [];
    list.push(task);
    byNode.set(task.nodeId, list);
  }
  return byNode;
}

/**
 * Global services: one task per eligible node, created already assigned to it. Tasks on nodes
 * that left, were drained or no longer match the constraints are shut down. Restarts and rolling
 * updates follow the same rules as replicated slots, with the node in place of the slot.
 */
export function reconcileGlobal(input: ReconcileInput): Plan {
  const { service } = input;
  assert(service.spec.mode.kind === 'global', 'reconcileGlobal needs a global service');
  const matches = matcherFor(service.spec.task.placement.constraints);
  const nodes = nodeMap(input.nodes);
  const byNode = groupByNode(input.tasks);
  const stray = emptyPlan();
  const results = [];
  for (const [nodeId, tasks] of byNode) {
    const node = nodes.get(nodeId);
    if (node && keepsTasks(node, matches)) continue;
    for (const task of tasks.filter(isRunnable)) stray.update.push({ taskId: task.id, desiredState: 'shutdown' });
  }
  const kept = [...input.nodes].filter((n) => keepsTasks(n, matches)).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const node of kept) {
    const slotInput: SlotInput = {
      service, slot: 0, nodeId: node.id, tasks: byNode.get(node.id) ?? [], nodes, now: input.now,
      canCreate: takesNewTask(node, matches), replaceOnDownNode: false,
    };
    results.push({ input: slotInput, outcome: reconcileSlot(slotInput) });
  }
  return mergePlans(stray, combineSlots(results));
}
