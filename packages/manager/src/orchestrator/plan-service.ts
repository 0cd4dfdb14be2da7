import type { Node, Service, Task } from '@shoal/common';
import { enforceConstraints } from './constraint-enforcer.js';
import { emptyPlan, mergePlans, withDesiredStates, type Plan } from './plan.js';
import { reconcileGlobal } from './reconcile-global.js';
import { reconcileRemoved } from './reconcile-removed.js';
import { reconcileReplicated } from './reconcile-replicated.js';
import { pruneTaskHistory } from './task-history.js';

export interface ServicePlanInput {
  /** Undefined when the service was removed. */
  service: Service | undefined;
  /** All tasks of the service. */
  tasks: readonly Task[];
  nodes: readonly Node[];
  now: number;
  retentionLimit: number;
  /** The cluster's replica limit (`maxReplicasOf(cluster)`). */
  maxReplicas?: number;
}

/**
 * Everything the orchestrator does for one service in one pass, chained as pure steps: enforce
 * constraints (global services), reconcile (replicated or global), prune history. One plan, one
 * transaction.
 */
export function planService(input: ServicePlanInput): Plan {
  const { service, nodes, now } = input;
  if (!service) return reconcileRemoved({ tasks: input.tasks, nodes });
  const enforced = emptyPlan();
  // Replicated tasks move make-before-break inside reconcileReplicated; a global task has nowhere else to go.
  if (service.spec.mode.kind === 'global') enforced.update = enforceConstraints({ tasks: input.tasks, nodes });
  const afterEnforce = withDesiredStates(input.tasks, enforced.update);
  const reconcile = service.spec.mode.kind === 'replicated' ? reconcileReplicated : reconcileGlobal;
  const limit = input.maxReplicas === undefined ? {} : { maxReplicas: input.maxReplicas };
  const reconciled = reconcile({ service, tasks: afterEnforce, nodes, now, ...limit });
  const afterReconcile = withDesiredStates(afterEnforce, reconciled.update);
  const history = emptyPlan();
  history.remove = pruneTaskHistory({ tasks: afterReconcile, retentionLimit: input.retentionLimit });
  return mergePlans(enforced, reconciled, history);
}
