import { ERROR_CODES, isShoalError, alreadyExists, failedPrecondition, invalidArgument, newId, notFound, resourceExhausted, type Network, type NetworkAttachment, type Rng, type Service, type ServiceSpec, type VirtualIp } from '@shoal/common';
import { allocateNetwork, lingeringNetworks } from '../allocator/network-allocation.js';
import { planServiceVips } from '../allocator/service-vips.js';
import { UsedAddresses } from '../allocator/used-addresses.js';
import type { ReadTx, Store } from '../store/types.js';
import { INGRESS_KEY, ingressNetworkOf } from '../store/indexes.js';
import type { Filters } from './list-filters.js';
import { resolveRef } from './resolve-ref.js';
import { MAX_NETWORKS, validateNetworkSpec } from './validate-network-spec.js';

/**
 * Times a write that lost a race for an address, subnet or VXLAN ID is built again on a fresh view.
 * Writes built on one view pick the same next address, and each round lets one of them through, so
 * N racing creates (two `stack deploy`s at once) need up to N rounds; 3 was too few for a stack.
 */
const ATTEMPTS = 64;

/**
 * Runs a write again when it conflicts at apply time (another write took what it allocated, on
 * the same view); the last conflict, or any other error, goes to the caller.
 */
export async function retryOnConflict<R>(write: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (attempt >= ATTEMPTS || !isShoalError(e) || e.code !== ERROR_CODES.CONFLICT) throw e;
    }
  }
}

/** `network create`: checks the spec, allocates subnet, gateway and VXLAN ID in the transaction. */
export async function createNetwork(store: Store, rng: Rng, raw: unknown): Promise<Network> {
  const spec = validateNetworkSpec(raw);
  const id = newId(rng);
  await retryOnConflict(() => store.update((tx) => {
    const name = spec.annotations.name;
    if (tx.count('networks', 'name', name) > 0) throw alreadyExists(`network ${name} already exists`);
    const ingress = spec.ingress ? ingressNetworkOf(tx) : undefined;
    if (ingress) throw alreadyExists(`ingress network ${ingress.spec.annotations.name} (${ingress.id}) is already present`);
    const networks = tx.list('networks');
    if (networks.length >= MAX_NETWORKS) throw resourceExhausted(`the cluster has ${networks.length} networks; the limit is ${MAX_NETWORKS}`);
    const lingering = lingeringNetworks(tx.indexKeys('tasks', 'network'), (nid) => tx.get('networks', nid) !== undefined, (nid) => tx.byIndex('tasks', 'network', nid)[0]);
    const allocation = allocateNetwork({ spec, networks, lingering, nodes: tx.list('nodes'), cluster: tx.list('clusters')[0] });
    tx.create('networks', { id, spec, allocation });
  }));
  return store.view().get('networks', id)!;
}

/**
 * `network rm`: refused while a service names the network (as Docker), and the ingress network
 * while a service publishes ports through it (nodes then lose their addresses there). Tasks still stopping keep
 * their addresses, and the subnet and VXLAN ID stay reserved until they stop (lingeringNetworks).
 */
export async function removeNetwork(store: Store, ref: string): Promise<void> {
  await store.update((tx) => {
    const network = resolveRef(tx, 'networks', ref);
    const name = network.spec.annotations.name;
    const user = tx.byIndex('services', 'networkTarget', name)[0] ?? tx.byIndex('services', 'networkTarget', network.id)[0];
    if (user) throw failedPrecondition(`network ${name} is in use by service ${user.spec.annotations.name}`);
    const meshUser = network.spec.ingress ? tx.byIndex('services', 'ingressPorts', INGRESS_KEY)[0] : undefined;
    if (meshUser) throw failedPrecondition(`ingress network cannot be removed because service ${meshUser.spec.annotations.name} depends on it`);
    tx.remove('networks', network.id);
  });
}

/** The network a service names (by name, else by ID or ID prefix), or undefined when none matches. */
function findNetwork(tx: ReadTx, target: string): Network | undefined {
  const byName = tx.byIndex('networks', 'name', target)[0];
  if (byName) return byName;
  try {
    return resolveRef(tx, 'networks', target);
  } catch {
    return undefined;
  }
}

/**
 * A service spec's networks, resolved in a transaction: every target must name a network (by name
 * or ID), and is stored as the network's name. Targets the service already had that name no
 * network (clusters from before overlays) are kept as they are: their tasks run as before. The
 * ingress network cannot be named (tasks join it by publishing ports), and publishing ports needs it.
 */
export function resolveServiceNetworks(tx: ReadTx, spec: ServiceSpec, current?: ServiceSpec): { spec: ServiceSpec; networks: Network[] } {
  const had = new Set((current?.task.networks ?? []).map((n) => n.target));
  const networks: Network[] = [];
  const attachments: NetworkAttachment[] = spec.task.networks.map((a) => {
    const network = findNetwork(tx, a.target);
    if (!network) {
      if (had.has(a.target)) return a;
      throw notFound(`network ${a.target} not found`);
    }
    if (network.spec.ingress) throw invalidArgument(`service cannot be explicitly attached to the ingress network "${network.spec.annotations.name}"`);
    if (networks.some((n) => n.id === network.id)) throw invalidArgument(`service ${spec.annotations.name}: network ${network.spec.annotations.name} is attached more than once`);
    networks.push(network);
    return { ...a, target: network.spec.annotations.name };
  });
  if (spec.endpoint.ports.some((p) => p.publishMode === 'ingress') && !ingressNetworkOf(tx)) {
    throw failedPrecondition('service needs ingress network, but no ingress network is present');
  }
  return { spec: { ...spec, task: { ...spec.task, networks: attachments } }, networks };
}

/** The service's VIPs for its (resolved) networks, keeping those it has. */
export function serviceVips(tx: ReadTx, spec: ServiceSpec, networks: readonly Network[], current: Service | undefined): VirtualIp[] {
  const used = new UsedAddresses({ tasksOn: (nid) => tx.byIndex('tasks', 'network', nid), servicesOn: (nid) => tx.byIndex('services', 'vipNetwork', nid) });
  return planServiceVips(networks, current?.endpoint?.virtualIps ?? [], spec.endpoint.mode ?? 'vip', used);
}

function labelsMatch(labels: Record<string, string>, wanted: string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? w in labels : labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

/** `network ls --filter`: id (prefix), name (substring, as Docker), label (k or k=v), driver, scope. */
export function filterNetworks(networks: Network[], filters: Filters): Network[] {
  for (const key of Object.keys(filters)) if (!['id', 'name', 'label', 'driver', 'scope'].includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  const values = (key: string) => (filters[key] ? filters[key]!.split(',') : undefined);
  const [ids, names, labels, drivers, scopes] = ['id', 'name', 'label', 'driver', 'scope'].map(values);
  return networks.filter(
    (n) =>
      (!ids || ids.some((w) => n.id.startsWith(w))) &&
      (!names || names.some((w) => n.spec.annotations.name.includes(w))) &&
      (!labels || labelsMatch(n.spec.annotations.labels, labels)) &&
      (!drivers || drivers.includes(n.spec.driver)) &&
      (!scopes || scopes.includes('swarm')),
  );
}
