import { addressOf, isTerminalState, type Network, type Node, type Service, type Task } from '@shoal/common';
import { shortId } from './human.js';
import type { Column, Listing } from './listing.js';

/** Every shoal network spans the swarm (Docker's scope of overlay networks). */
export const NETWORK_SCOPE = 'swarm';

const labelsCell = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export function networkListing(noTrunc: boolean): Listing<Network> {
  const columns: Column<Network>[] = [
    { header: 'NETWORK ID', key: 'ID', value: (n) => (noTrunc ? n.id : shortId(n.id)) },
    { header: 'NAME', key: 'Name', value: (n) => n.spec.annotations.name },
    { header: 'DRIVER', key: 'Driver', value: (n) => n.spec.driver },
    { header: 'SCOPE', key: 'Scope', value: () => NETWORK_SCOPE },
  ];
  const jsonExtra = (n: Network) => ({
    CreatedAt: n.meta.createdAt,
    IPv6: 'false',
    Internal: String(n.spec.internal),
    Labels: labelsCell(n.spec.annotations.labels),
  });
  return { columns, id: (n) => (noTrunc ? n.id : shortId(n.id)), jsonExtra };
}

const FILTER_KEYS = ['driver', 'id', 'label', 'name', 'scope', 'type'];

function labelMatches(labels: Record<string, string>, wanted: string): boolean {
  const eq = wanted.indexOf('=');
  return eq < 0 ? wanted in labels : labels[wanted.slice(0, eq)] === wanted.slice(eq + 1);
}

/**
 * `network ls --filter` as Docker reads it: name is a substring, id a prefix, label `K` or `K=V`
 * (all must match), driver/scope/type exact (every shoal network is an overlay of scope swarm
 * and of type custom). Several values of the other keys are OR-ed.
 */
export function filterNetworks(networks: readonly Network[], filters: Record<string, string>): Network[] {
  for (const key of Object.keys(filters)) if (!FILTER_KEYS.includes(key)) throw new Error(`invalid filter '${key}'`);
  const values = (key: string) => (filters[key] === undefined ? undefined : filters[key]!.split(','));
  const any = (key: string, test: (v: string) => boolean) => values(key)?.some(test) ?? true;
  const scopes = values('scope');
  if (scopes?.some((s) => !['swarm', 'global', 'local'].includes(s))) throw new Error(`invalid filter 'scope=${filters.scope}': use swarm, global or local`);
  const types = values('type');
  if (types?.some((t) => t !== 'custom' && t !== 'builtin')) throw new Error(`invalid filter 'type=${filters.type}': use custom or builtin`);
  return networks.filter(
    (n) =>
      any('name', (v) => n.spec.annotations.name.includes(v)) &&
      any('id', (v) => n.id.startsWith(v)) &&
      any('driver', (v) => v === n.spec.driver) &&
      any('scope', (v) => v === NETWORK_SCOPE) &&
      any('type', (v) => v === 'custom') &&
      (values('label') ?? []).every((v) => labelMatches(n.spec.annotations.labels, v)),
  );
}

/** Docker sorts `network ls` by name. */
export function sortNetworks(networks: readonly Network[]): Network[] {
  return [...networks].sort((a, b) => (a.spec.annotations.name < b.spec.annotations.name ? -1 : a.spec.annotations.name > b.spec.annotations.name ? 1 : 0));
}

/** Does the service's spec name this network (by name, as stored, or by ID)? */
export function usesNetwork(service: Service, network: Network): boolean {
  return service.spec.task.networks.some((a) => a.target === network.spec.annotations.name || a.target === network.id);
}

function taskName(t: Task): string {
  return `${t.serviceAnnotations.name}.${t.slot > 0 ? t.slot : t.nodeId}`;
}

/** Tasks meant to run that hold an address on the network, by node: what `inspect` shows as attached. */
function attachedByNode(network: Network, tasks: readonly Task[], nodes: readonly Node[]) {
  const hostname = new Map(nodes.map((n) => [n.id, n.description.hostname]));
  const byNode = new Map<string, { ID: string; Hostname: string; Tasks: Record<string, string>[] }>();
  for (const t of tasks) {
    const attachment = t.networks?.find((a) => a.networkId === network.id);
    if (!attachment || !t.nodeId || t.desiredState !== 'running' || isTerminalState(t.status.state)) continue;
    const entry = byNode.get(t.nodeId) ?? { ID: t.nodeId, Hostname: hostname.get(t.nodeId) ?? '', Tasks: [] };
    entry.Tasks.push({ Name: taskName(t), ID: t.id, ServiceID: t.serviceId, Address: attachment.address, State: t.status.state, ...(t.status.health ? { Health: t.status.health } : {}) });
    byNode.set(t.nodeId, entry);
  }
  const nodesOut = [...byNode.values()].sort((a, b) => a.Hostname.localeCompare(b.Hostname) || a.ID.localeCompare(b.ID));
  for (const n of nodesOut) n.Tasks.sort((a, b) => a.Name!.localeCompare(b.Name!));
  return nodesOut;
}

/** The ingress network's nodes: each with its own address there (Docker shows an `ingress-sbox` per node). */
function meshPeers(network: Network, nodes: readonly Node[]) {
  return nodes
    .filter((n) => n.ingress?.networkId === network.id)
    .map((n) => ({ ID: n.id, Hostname: n.description.hostname, Address: n.ingress!.address, NodeAddr: n.status.addr }))
    .sort((a, b) => a.Hostname.localeCompare(b.Hostname) || a.ID.localeCompare(b.ID));
}

/** The services on a network: those that name it, or for the ingress network those that publish through it. */
function servicesOn(network: Network, services: readonly Service[]): Service[] {
  if (network.spec.ingress) return services.filter((s) => s.spec.endpoint.ports.some((p) => p.publishMode === 'ingress'));
  return services.filter((s) => usesNetwork(s, network));
}

/**
 * `network inspect`: Docker's fields (Name, Id, Created, Scope, Driver, IPAM.Config, Options,
 * Labels, ...), then shoal's own: the allocation, the services on the network with their VIPs,
 * and per node the tasks attached to it; for the ingress network, every node's own address there.
 */
export function inspectNetwork(network: Network, services: readonly Service[], tasks: readonly Task[], nodes: readonly Node[]): Record<string, unknown> {
  const spec = network.spec;
  const a = network.allocation;
  const config = a ? [{ Subnet: a.subnet, Gateway: a.gateway }] : spec.ipam.map((c) => ({ Subnet: c.subnet ?? '', Gateway: c.gateway ?? '' }));
  const vip = (s: Service) => s.endpoint?.virtualIps.find((v) => v.networkId === network.id)?.address;
  return {
    Name: spec.annotations.name,
    Id: network.id,
    Created: network.meta.createdAt,
    Scope: NETWORK_SCOPE,
    Driver: spec.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: config },
    Internal: spec.internal,
    Attachable: spec.attachable,
    Ingress: spec.ingress,
    Options: { ...(a ? { 'com.docker.network.driver.overlay.vxlanid_list': String(a.vxlanId) } : {}), ...spec.driverOpts },
    Labels: spec.annotations.labels,
    Allocation: a ? { Subnet: a.subnet, Gateway: a.gateway, VXLANID: a.vxlanId } : null,
    Services: servicesOn(network, services)
      .map((s) => ({ ID: s.id, Name: s.spec.annotations.name, EndpointMode: s.spec.endpoint.mode ?? 'vip', ...(vip(s) ? { VIP: addressOf(vip(s)!) } : {}) }))
      .sort((x, y) => x.Name.localeCompare(y.Name)),
    Nodes: attachedByNode(network, tasks, nodes),
    ...(spec.ingress ? { Peers: meshPeers(network, nodes) } : {}),
  };
}
