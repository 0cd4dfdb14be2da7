import { isTerminalState, type Node, type Task } from '@shoal/common';
import { compileConstraints, type NodeMatcher } from '../scheduler/constraint.js';
import type { DesiredStateChange } from './plan.js';
import { isRunnable, nodeMap } from './task-facts.js';

export interface EnforceInput {
  tasks: readonly Task[];
  nodes: readonly Node[];
}

/** Constraints that do not parse never evict running tasks. */
function matcherCache(): (constraints: readonly string[]) => NodeMatcher {
  const cache = new Map<string, NodeMatcher>();
  return (constraints) => {
    const key = JSON.stringify(constraints);
    let matcher = cache.get(key);
    if (!matcher) {
      try {
        matcher = compileConstraints(constraints);
      } catch {
        matcher = () => true;
      }
      cache.set(key, matcher);
    }
    return matcher;
  };
}

/**
 * Tasks that run (or are about to) on a drained node, or on a node that no longer satisfies their
 * placement constraints, are shut down; the reconcilers then replace them elsewhere.
 */
export function enforceConstraints(input: EnforceInput): DesiredStateChange[] {
  const nodes = nodeMap(input.nodes);
  const matcherFor = matcherCache();
  const changes: DesiredStateChange[] = [];
  for (const task of input.tasks) {
    if (!isRunnable(task) || task.nodeId === '' || isTerminalState(task.status.state)) continue;
    const node = nodes.get(task.nodeId);
    if (!node) continue;
    const drained = node.spec.availability === 'drain';
    if (drained || !matcherFor(task.spec.placement.constraints)(node)) {
      changes.push({ taskId: task.id, desiredState: 'shutdown' });
    }
  }
  return changes;
}
