import type { Task } from '@shoal/common';
import { countNodes, type Filter } from '../filter.js';
import { serviceTaskCount } from '../node-info.js';

/** placement.maxReplicasPerNode (0 = no limit) caps the service's tasks on each node. */
export function maxReplicasFilter(): Filter {
  let serviceId = '';
  let max = 0;
  return {
    name: 'max-replicas',
    setTask(task: Task) {
      serviceId = task.serviceId;
      max = task.spec.placement.maxReplicasPerNode;
      return max > 0;
    },
    check: (info) => serviceTaskCount(info, serviceId) < max,
    explain: (n) => `max replicas per node limit exceeded on ${countNodes(n)}`,
  };
}
