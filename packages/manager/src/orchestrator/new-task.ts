import type { Service } from '@shoal/common';
import type { ReadTx } from '../store/types.js';
import { INGRESS_KEY } from '../store/indexes.js';
import { publishesIngress } from '../allocator/task-addresses.js';
import type { NewTask } from './plan.js';
import { isoTime } from './task-facts.js';

export const PENDING_MESSAGE = 'pending task scheduling';
export const GLOBAL_ASSIGNED_MESSAGE = 'orchestrator assigned task to node';
export const ALLOCATION_MESSAGE = 'pending network allocation';

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

/**
 * A task whose service names an overlay network (one that exists as a network object) starts NEW:
 * the allocator gives it its addresses, then moves it on to pending (or assigned, for a global
 * task). So does a task that publishes ingress ports while the cluster has an ingress network
 * (it gets an address there too, issue 11). Tasks on no such network start as `newTask` made them, with no extra round trip.
 */
export function withNetworkState(task: NewTask, view: Pick<ReadTx, 'count'>): NewTask {
  const overlay = task.spec.networks.some((n) => view.count('networks', 'name', n.target) > 0);
  const ingress = publishesIngress(task) && view.count('networks', 'ingress', INGRESS_KEY) > 0;
  if (!overlay && !ingress) return task;
  return { ...task, status: { ...task.status, state: 'new', message: ALLOCATION_MESSAGE } };
}
