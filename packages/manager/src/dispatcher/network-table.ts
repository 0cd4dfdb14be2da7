import { addressOf, type Network, type NetworkEndpoint, type NetworkNodeEndpoint, type NetworkService, type NetworkTable, type NodeNetwork, type Service, type Task } from '@shoal/common';
import type { ReadTx } from '../store/types.js';
import { hostOf, isLiveEndpoint, isServing, NetworkMembers, nodeIsUp } from './network-members.js';

/**
 * The NetworkTable of one node (what the dispatcher pushes; the contract is in common's
 * model/network.ts): every network the node needs, each with every service attached to it and
 * every endpoint on it cluster-wide. Built through NetworkMembers (no scan of the tasks per call)
 * and sorted throughout, so equal states give equal JSON.
 */

/** The most endpoints (and services) of one network a table carries; the rest are left out, with a warning. */
export const MAX_ENDPOINTS_PER_NETWORK = 10_000;
export const MAX_SERVICES_PER_NETWORK = 10_000;
/** The most nodes the ingress network's `nodes` carries (the rest are left out, with a warning). */
export const MAX_NODES_PER_NETWORK = 10_000;

export interface BuiltNetwork {
  network: NodeNetwork;
  /** Endpoints, services and nodes left out by the bounds (0 normally). */
  droppedEndpoints: number;
  droppedServices: number;
  droppedNodes?: number;
}

/** IPv4 as a number for sorting; other text sorts after every IPv4 address. */
function addressRank(a: string): number {
  const parts = a.split('.');
  if (parts.length !== 4) return Number.MAX_SAFE_INTEGER;
  return parts.reduce((n, p) => n * 256 + (Number(p) || 0), 0);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(r).sort(byText).map((k) => [k, r[k]!]));
}

function serviceEntry(service: Service, network: Network): NetworkService {
  const attachment = service.spec.task.networks.find((a) => a.target === network.spec.annotations.name || a.target === network.id);
  const aliases = [...new Set(attachment?.aliases ?? [])].filter((a) => a !== service.spec.annotations.name).sort(byText);
  const mode = service.spec.endpoint.mode ?? 'vip';
  const vip = service.endpoint?.virtualIps.find((v) => v.networkId === network.id);
  const entry: NetworkService = { id: service.id, name: service.spec.annotations.name, aliases, endpointMode: mode };
  if (mode === 'vip' && vip) entry.vip = addressOf(vip.address);
  return entry;
}

interface NodeFacts {
  addr: string;
  up: boolean;
}

function endpointEntry(task: Task, networkId: string, nodeOf: (nodeId: string) => NodeFacts): NetworkEndpoint | undefined {
  const attachment = task.networks?.find((n) => n.networkId === networkId);
  if (!attachment || !isLiveEndpoint(task)) return undefined;
  const node = nodeOf(task.nodeId);
  return {
    taskId: task.id,
    serviceId: task.serviceId,
    address: addressOf(attachment.address),
    nodeId: task.nodeId,
    nodeAddr: node.addr,
    serving: node.up && isServing(task),
  };
}

/**
 * Sorted by address, then task ID; when the bound cuts, serving endpoints are kept first (they
 * answer DNS and take VIP traffic).
 */
function boundEndpoints(all: NetworkEndpoint[]): { kept: NetworkEndpoint[]; dropped: number } {
  const ranked = all.map((e) => ({ e, rank: addressRank(e.address) }));
  const byAddress = (a: (typeof ranked)[number], b: (typeof ranked)[number]) => a.rank - b.rank || byText(a.e.address, b.e.address) || byText(a.e.taskId, b.e.taskId);
  ranked.sort(byAddress);
  if (ranked.length <= MAX_ENDPOINTS_PER_NETWORK) return { kept: ranked.map((r) => r.e), dropped: 0 };
  const kept = [...ranked.filter((r) => r.e.serving), ...ranked.filter((r) => !r.e.serving)].slice(0, MAX_ENDPOINTS_PER_NETWORK);
  return { kept: kept.sort(byAddress).map((r) => r.e), dropped: ranked.length - MAX_ENDPOINTS_PER_NETWORK };
}

/**
 * The ingress network's nodes (issue 11): every node with its own address there, its plain
 * address and underlay address, sorted by address.
 */
function meshNodes(view: ReadTx, network: Network, members: NetworkMembers): { kept: NetworkNodeEndpoint[]; dropped: number } {
  const all: NetworkNodeEndpoint[] = [];
  for (const nodeId of members.meshNodeIds(network.id)) {
    const node = view.get('nodes', nodeId);
    if (node?.ingress?.networkId === network.id) all.push({ nodeId, address: addressOf(node.ingress.address), nodeAddr: hostOf(node.status.addr) });
  }
  all.sort((a, b) => addressRank(a.address) - addressRank(b.address) || byText(a.address, b.address) || byText(a.nodeId, b.nodeId));
  return { kept: all.slice(0, MAX_NODES_PER_NETWORK), dropped: Math.max(0, all.length - MAX_NODES_PER_NETWORK) };
}

/** One network as every node that needs it sees it; undefined for a network not (yet) allocated. */
export function buildNodeNetwork(view: ReadTx, network: Network, members: NetworkMembers): BuiltNetwork | undefined {
  if (!network.allocation) return undefined;
  const services: NetworkService[] = [];
  for (const id of members.serviceIds(network)) {
    const service = view.get('services', id);
    if (service) services.push(serviceEntry(service, network));
  }
  services.sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id));
  const nodes = new Map<string, NodeFacts>();
  const nodeOf = (nodeId: string) => {
    let facts = nodes.get(nodeId);
    if (!facts) {
      const node = view.get('nodes', nodeId);
      facts = { addr: node ? hostOf(node.status.addr) : '', up: nodeIsUp(node) };
      nodes.set(nodeId, facts);
    }
    return facts;
  };
  const endpoints: NetworkEndpoint[] = [];
  for (const id of members.endpointIds(network.id)) {
    const task = view.get('tasks', id);
    const entry = task && endpointEntry(task, network.id, nodeOf);
    if (entry) endpoints.push(entry);
  }
  const { kept, dropped } = boundEndpoints(endpoints);
  const { allocation, spec } = network;
  const mesh = spec.ingress ? meshNodes(view, network, members) : undefined;
  return {
    network: {
      id: network.id,
      name: spec.annotations.name,
      allocation: { subnet: allocation.subnet, gateway: allocation.gateway, vxlanId: allocation.vxlanId },
      internal: spec.internal,
      attachable: spec.attachable,
      driverOpts: sortedRecord(spec.driverOpts),
      services: services.slice(0, MAX_SERVICES_PER_NETWORK),
      endpoints: kept,
      // Encrypted networks: the leader's keys (manager/src/network-keys), for the node's relay.
      ...(network.keys && network.keys.length > 0 ? { keys: network.keys.map((k) => ({ ...k })) } : {}),
      // The routing mesh's network: every node with an address on it (issue 11).
      ...(mesh ? { ingress: true, nodes: mesh.kept } : {}),
    },
    droppedEndpoints: dropped,
    droppedServices: Math.max(0, services.length - MAX_SERVICES_PER_NETWORK),
    ...(mesh && mesh.dropped > 0 ? { droppedNodes: mesh.dropped } : {}),
  };
}

/**
 * The table of one node. `members` is the dispatcher's kept index; without it one is built from
 * the view (a scan: for tests and one-off callers).
 */
export function networkTableFor(view: ReadTx, nodeId: string, members: NetworkMembers = NetworkMembers.fromView(view)): NetworkTable {
  const networks: NodeNetwork[] = [];
  for (const id of members.networksOf(nodeId)) {
    const network = view.get('networks', id);
    const built = network && buildNodeNetwork(view, network, members);
    if (built) networks.push(built.network);
  }
  return { networks };
}
