import { isTerminalState, type Node, type Task } from '@shoal/common';
import { compileConstraints, type NodeMatcher } from '../scheduler/constraint.js';
import type { DesiredStateChange } from './plan.js';
import { isRunnable, nodeMap, type NodeMap } from './task-facts.js';

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

/** Tells whether a task must leave the node it is on. */
export type EvictionCheck = (task: Task) => boolean;

/**
 * A task must leave its node when the node is up (in the store and not down) but drained, or no
 * longer satisfies the task's placement constraints. Tasks on lost nodes are another rule (they
 * are replaced at once); tasks on no node are never evicted; paused nodes keep their tasks.
 */
export function evictionCheck(nodes: NodeMap): EvictionCheck {
  const matcherFor = matcherCache();
  return (task) => {
    if (task.nodeId === '') return false;
    const node = nodes.get(task.nodeId);
    if (!node || node.status.state === 'down') return false;
    return node.spec.availability === 'drain' || !matcherFor(task.spec.placement.constraints)(node);
  };
}

/**
 * Tasks that run (or are about to) on a drained node, or on a node that no longer satisfies their
 * placement constraints, are shut down at once. Used for global services only (there is no other
 * node for such a task); replicated services move their tasks make-before-break in the slot
 * reconciler instead.
 */
export function enforceConstraints(input: EnforceInput): DesiredStateChange[] {
  const evicted = evictionCheck(nodeMap(input.nodes));
  const changes: DesiredStateChange[] = [];
  for (const task of input.tasks) {
    if (!isRunnable(task) || isTerminalState(task.status.state)) continue;
    if (evicted(task)) changes.push({ taskId: task.id, desiredState: 'shutdown' });
  }
  return changes;
}
