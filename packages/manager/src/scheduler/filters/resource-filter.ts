import type { Resources, Task } from '@shoal/common';
import { countNodes, type Filter } from '../filter.js';

/** The task's reservations must fit in what the node has minus what its tasks already reserve. */
export function resourceFilter(): Filter {
  let want: Resources = { nanoCpus: 0, memoryBytes: 0 };
  return {
    name: 'resources',
    setTask(task: Task) {
      want = task.spec.resources.reservations;
      return want.nanoCpus > 0 || want.memoryBytes > 0;
    },
    check(info) {
      const total = info.node.description.resources;
      const cpuOk = want.nanoCpus <= total.nanoCpus - info.reserved.nanoCpus;
      const memOk = want.memoryBytes <= total.memoryBytes - info.reserved.memoryBytes;
      return cpuOk && memOk;
    },
    explain: (n) => `insufficient resources on ${countNodes(n)}`,
  };
}
