import type { Task } from '@shoal/common';
import { compileConstraints, type NodeMatcher } from '../constraint.js';
import { countNodes, type Filter } from '../filter.js';

/**
 * The task's placement constraints. They are parsed once per distinct constraint list; a list that
 * does not parse matches no node (the control API rejects such specs before they get here).
 */
export function constraintFilter(): Filter {
  let cachedKey: string | undefined;
  let matcher: NodeMatcher = () => true;
  return {
    name: 'constraints',
    setTask(task: Task) {
      const constraints = task.spec.placement.constraints;
      if (constraints.length === 0) return false;
      const key = JSON.stringify(constraints);
      if (key !== cachedKey) {
        cachedKey = key;
        try {
          matcher = compileConstraints(constraints);
        } catch {
          matcher = () => false;
        }
      }
      return true;
    },
    check: (info) => matcher(info.node),
    explain: (n) => `scheduling constraints not satisfied on ${countNodes(n)}`,
  };
}
