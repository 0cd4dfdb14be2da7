import type { Node } from '@shoal/common';
import { capitalize } from './human.js';
import type { Column, Listing } from './listing.js';

export function managerStatus(node: Node): string {
  const m = node.managerStatus;
  if (!m) return '';
  if (m.leader) return 'Leader';
  return m.reachability === 'unknown' ? 'Unknown' : capitalize(m.reachability);
}

const columns: Column<Node>[] = [
  { header: 'ID', key: 'ID', value: (n) => n.id },
  { header: 'HOSTNAME', key: 'Hostname', value: (n) => n.description.hostname },
  { header: 'STATUS', key: 'Status', value: (n) => capitalize(n.status.state) },
  { header: 'AVAILABILITY', key: 'Availability', value: (n) => capitalize(n.spec.availability) },
  { header: 'MANAGER STATUS', key: 'ManagerStatus', value: managerStatus },
  { header: 'ENGINE VERSION', key: 'EngineVersion', value: (n) => n.description.engineVersion },
];

/** `node ls`: the current node's ID is followed by ` *` in the table; JSON carries `Self` instead. */
export function nodeListing(selfId: string): Listing<Node> {
  return {
    columns,
    id: (n) => n.id,
    tableCell: (n, c) => (c.key === 'ID' ? `${n.id} ${n.id === selfId ? '*' : ''}`.trimEnd() : undefined),
    jsonExtra: (n) => ({ Self: n.id === selfId }),
  };
}

/** Nodes in Docker's order: by hostname, then ID. */
export function sortNodes(nodes: readonly Node[]): Node[] {
  return [...nodes].sort((a, b) => a.description.hostname.localeCompare(b.description.hostname) || (a.id < b.id ? -1 : 1));
}
