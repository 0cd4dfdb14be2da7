import type { Service } from '@shoal/common';
import type { NewTask } from './plan.js';
import { isoTime } from './task-facts.js';

export const PENDING_MESSAGE = 'pending task scheduling';
export const GLOBAL_ASSIGNED_MESSAGE = 'orchestrator assigned task to node';

/**
 * A task for `slot` with the service's current spec. Replicated tasks start pending on no node
 * (the scheduler places them); global tasks (slot 0) start assigned to their node.
 */
export function newTask(service: Service, slot: number, nodeId: string, now: number): NewTask {
  const assigned = nodeId !== '';
  return {
    serviceId: service.id,
    slot,
    nodeId,
    spec: structuredClone(service.spec.task),
    serviceAnnotations: structuredClone(service.spec.annotations),
    endpointPorts: structuredClone(service.spec.endpoint.ports),
    desiredState: 'running',
    status: {
      state: assigned ? 'assigned' : 'pending',
      timestamp: isoTime(now),
      message: assigned ? GLOBAL_ASSIGNED_MESSAGE : PENDING_MESSAGE,
    },
  };
}
