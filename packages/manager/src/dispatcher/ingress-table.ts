import { addressOf, type IngressEntry, type IngressTable, type Network, type Node, type PortConfig, type Service, type Task } from '@shoal/common';
import type { ReadTx } from '../store/types.js';
import { isServing, nodeIsUp } from './network-members.js';

/**
 * The routing mesh's table (issue 11; the contract is IngressTable in common's model/objects.ts):
 * every ingress-published port of every service, each with the tasks that serve it cluster-wide
 * (running, meant to run, healthy where they have a healthcheck, on a node that is not down: the
 * predicate of NetworkEndpoint.serving), by their address on the ingress network. The same ports
 * go to every node; only `network.nodeAddress` differs. Pure; ingress-table-cache.ts keeps it.
 */

/** The most ports one table carries (the rest are left out, with a warning): ~100 bytes each plus backends. */
export const MAX_INGRESS_PORTS = 16_384;
/** The most backends one port carries (serving tasks beyond it take no mesh traffic). */
export const MAX_BACKENDS_PER_PORT = 1_024;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A port that the routing mesh publishes (a published port of 0 is refused by control). */
export function isMeshPort(p: PortConfig): boolean {
  return p.publishMode === 'ingress' && p.publishedPort > 0;
}

/** `8080/tcp`: a port's key, unique across services (control refuses a second claim). */
export const portKey = (p: { publishedPort: number; protocol: string }) => `${p.publishedPort}/${p.protocol}`;

/** Ports sort by number, then protocol. */
export function comparePortKeys(a: string, b: string): number {
  const [pa, qa] = a.split('/');
  const [pb, qb] = b.split('/');
  return Number(pa) - Number(pb) || byText(qa ?? '', qb ?? '');
}

/**
 * What the mesh needs of a task: its ingress address and target ports while it serves; '' when
 * it does not (a change of this is a change of the table).
 */
export function backendFact(task: Task | undefined, ingressId: string | undefined): string {
  if (!task || ingressId === undefined || !isServing(task)) return '';
  const attachment = task.networks?.find((n) => n.networkId === ingressId);
  if (!attachment) return '';
  const ports = task.endpointPorts.filter(isMeshPort).map((p) => `${portKey(p)}>${p.targetPort}`);
  return `${addressOf(attachment.address)}|${task.nodeId}|${ports.join(',')}`;
}

/** The service's ingress ports, each with its serving tasks by ingress address, sorted by task ID. */
export function serviceIngressEntries(view: ReadTx, service: Service, ingressId: string | undefined): IngressEntry[] {
  const ports = service.spec.endpoint.ports.filter(isMeshPort);
  if (ports.length === 0) return [];
  const tasks = ingressId === undefined ? [] : view.byIndex('tasks', 'serviceId', service.id).filter((t) => backendFact(t, ingressId) !== '' && nodeIsUp(view.get('nodes', t.nodeId)));
  tasks.sort((a, b) => byText(a.id, b.id));
  return ports.map((port) => {
    const backends: IngressEntry['backends'] = [];
    for (const t of tasks) {
      if (backends.length >= MAX_BACKENDS_PER_PORT) break;
      // A task keeps the target port of the spec it was made from (a rolling update changes it).
      const own = t.endpointPorts.find((p) => isMeshPort(p) && p.publishedPort === port.publishedPort && p.protocol === port.protocol);
      const attachment = t.networks!.find((n) => n.networkId === ingressId)!;
      if (own) backends.push({ ip: addressOf(attachment.address), port: own.targetPort, taskId: t.id });
    }
    return { publishedPort: port.publishedPort, protocol: port.protocol, serviceId: service.id, backends };
  });
}

/** The `network` part of a node's IngressTable: absent without an ingress network or an address on it. */
export function ingressNetworkPart(ingress: Network | undefined, node: Node | undefined): IngressTable['network'] {
  if (!ingress?.allocation || !node?.ingress || node.ingress.networkId !== ingress.id) return undefined;
  return { id: ingress.id, subnet: ingress.allocation.subnet, gateway: ingress.allocation.gateway, nodeAddress: addressOf(node.ingress.address) };
}

/** The whole table of one node, built from a view (a scan: for tests and one-off callers). */
export function ingressTableFor(view: ReadTx, nodeId: string, ingress: Network | undefined): IngressTable {
  const ports = view
    .list('services')
    .flatMap((s) => serviceIngressEntries(view, s, ingress?.id))
    .sort((a, b) => comparePortKeys(portKey(a), portKey(b)))
    .slice(0, MAX_INGRESS_PORTS);
  const network = ingressNetworkPart(ingress, view.get('nodes', nodeId));
  return { ...(network ? { network } : {}), ports };
}
