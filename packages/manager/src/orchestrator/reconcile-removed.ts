import type { Node, Task } from '@shoal/common';
import { emptyPlan, type Plan } from './plan.js';
import { isStopped, nodeMap } from './task-facts.js';

export interface RemovedServiceInput {
  /** The tasks of a service that is no longer in the store. */
  tasks: readonly Task[];
  nodes: readonly Node[];
}

/**
 * A removed service's tasks get desired state `remove` (their nodes stop them); a task leaves the
 * store once it has stopped, never reached a node, or its node is gone.
 */
export function reconcileRemoved(input: RemovedServiceInput): Plan {
  const nodes = nodeMap(input.nodes);
  const plan = emptyPlan();
  for (const task of input.tasks) {
    if (isStopped(task, nodes)) plan.remove.push(task.id);
    else if (task.desiredState !== 'remove') plan.update.push({ taskId: task.id, desiredState: 'remove' });
  }
  return plan;
}
