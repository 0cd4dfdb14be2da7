import type { Task } from '@shoal/common';
import { countNodes, type Filter } from '../filter.js';
import { hostPortsOf } from '../node-info.js';

/** A host-mode published port can be taken by one task per node. */
export function hostPortFilter(): Filter {
  let ports: string[] = [];
  return {
    name: 'host-ports',
    setTask(task: Task) {
      ports = hostPortsOf(task);
      return ports.length > 0;
    },
    check: (info) => ports.every((p) => !info.hostPorts.has(p)),
    explain: (n) => `host-mode port already in use on ${countNodes(n)}`,
  };
}
