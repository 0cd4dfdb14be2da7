import type { DesiredNetwork } from './desired.js';

/**
 * What the planner wants done on the node, as data. Docker networks go through the Engine API;
 * links, forwarding and neighbour entries through `ip -batch -` and `bridge -batch -` (one call
 * per kind for any number of entries). The list is in the order it must run.
 */
export type NetworkAction =
  | { kind: 'remove-docker-network'; dockerId: string; name: string }
  | { kind: 'remove-link'; name: string }
  | { kind: 'create-docker-network'; network: DesiredNetwork }
  | { kind: 'create-vxlan'; network: DesiredNetwork }
  | { kind: 'set-vxlan'; name: string; mtu: number; master: string }
  | { kind: 'addr-del'; dev: string; cidr: string }
  | { kind: 'set-bridge-mac'; name: string; mac: string }
  | { kind: 'addr-replace'; dev: string; cidr: string }
  | { kind: 'fdb-replace'; dev: string; mac: string; dst: string; port: number | undefined }
  | { kind: 'fdb-del'; dev: string; mac: string; dst: string }
  | { kind: 'port-entry-replace'; dev: string; mac: string }
  | { kind: 'port-entry-del'; dev: string; mac: string }
  | { kind: 'neigh-replace'; dev: string; address: string; mac: string }
  | { kind: 'neigh-del'; dev: string; address: string };

export type NetworkActionKind = NetworkAction['kind'];

const ORDER: NetworkActionKind[] = [
  'remove-docker-network',
  'remove-link',
  'create-docker-network',
  'create-vxlan',
  'set-vxlan',
  'addr-del',
  'set-bridge-mac',
  'addr-replace',
  'fdb-del',
  'port-entry-del',
  'neigh-del',
  'fdb-replace',
  'port-entry-replace',
  'neigh-replace',
];

export function sortActions(actions: NetworkAction[]): NetworkAction[] {
  return [...actions].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

/** Lines for `ip -force -batch -` (links and neighbours) and `bridge -force -batch -` (fdb). */
export interface BatchLines {
  /** Run first: device creation, changes and removals, then the ingress bridge's MAC and addresses. */
  links: string[];
  fdb: string[];
  neigh: string[];
}

function vxlanLines(n: DesiredNetwork): string[] {
  return [
    `link add ${n.vxlan} type vxlan id ${n.vni} local ${n.local} dstport ${n.port} nolearning proxy`,
    `link set ${n.vxlan} mtu ${n.mtu} master ${n.bridge} up`,
    `link set ${n.vxlan} type bridge_slave learning off`,
  ];
}

/** The iproute2 batch lines of the link, fdb and neighbour actions (Docker actions are not in them). */
export function batchLines(actions: readonly NetworkAction[]): BatchLines {
  const out: BatchLines = { links: [], fdb: [], neigh: [] };
  for (const a of actions) {
    switch (a.kind) {
      case 'remove-link':
        out.links.push(`link del ${a.name}`);
        break;
      case 'create-vxlan':
        out.links.push(...vxlanLines(a.network));
        break;
      case 'set-vxlan':
        out.links.push(`link set ${a.name} mtu ${a.mtu} master ${a.master} up`, `link set ${a.name} type bridge_slave learning off`);
        break;
      case 'addr-del':
        out.links.push(`addr del ${a.cidr} dev ${a.dev}`);
        break;
      case 'set-bridge-mac':
        out.links.push(`link set dev ${a.name} address ${a.mac}`);
        break;
      case 'addr-replace':
        out.links.push(`addr replace ${a.cidr} dev ${a.dev}`);
        break;
      case 'port-entry-replace':
        out.fdb.push(`fdb replace ${a.mac} dev ${a.dev} master static`);
        break;
      case 'port-entry-del':
        out.fdb.push(`fdb del ${a.mac} dev ${a.dev} master`);
        break;
      case 'fdb-replace':
        out.fdb.push(`fdb replace ${a.mac} dev ${a.dev} dst ${a.dst}${a.port === undefined ? '' : ` port ${a.port}`} self permanent`);
        break;
      case 'fdb-del':
        out.fdb.push(`fdb del ${a.mac} dev ${a.dev} dst ${a.dst} self`);
        break;
      case 'neigh-replace':
        out.neigh.push(`neigh replace ${a.address} lladdr ${a.mac} dev ${a.dev} nud permanent`);
        break;
      case 'neigh-del':
        out.neigh.push(`neigh del ${a.address} dev ${a.dev}`);
        break;
      default:
        break;
    }
  }
  return out;
}
