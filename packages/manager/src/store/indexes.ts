import { addressOf, isActiveState, isTerminalState, taskStateRank, type Network, type Node, type Service, type Task } from '@shoal/common';
import type { ReadTx, TableName, Tables } from './types.js';

/**
 * A task holds a place on its node while it is meant to run (desired state at most running) and
 * has not stopped yet.
 */
export function holdsPlaceOnNode(task: Task): boolean {
  return task.nodeId !== '' && isActiveState(task.desiredState) && !isTerminalState(task.status.state);
}

/**
 * A task holds its overlay addresses while a container may have them: from allocation until its
 * status is terminal, or until it is no longer meant to run if it never reached a node. An
 * orphaned task (its node was lost: the container may still run there) keeps them until the task
 * is removed from the store.
 */
export function holdsAddresses(task: Task): boolean {
  if (!task.networks || task.networks.length === 0) return false;
  const state = task.status.state;
  if (state === 'orphaned') return true;
  if (isTerminalState(state)) return false;
  return isActiveState(task.desiredState) || taskStateRank(state) >= taskStateRank('assigned');
}

/** `networkId|address` of every address a task holds (see holdsAddresses). */
export function heldAddressKeys(task: Task): string[] {
  return holdsAddresses(task) ? task.networks!.map((n) => `${n.networkId}|${addressOf(n.address)}`) : [];
}

/** `networkId|address` of every VIP of a service. */
export function vipKeys(service: Service): string[] {
  return (service.endpoint?.virtualIps ?? []).map((v) => `${v.networkId}|${addressOf(v.address)}`);
}

/** `networkId|address` of a node's own ingress address. */
export function nodeIngressKey(node: Node): string | undefined {
  return node.ingress ? `${node.ingress.networkId}|${addressOf(node.ingress.address)}` : undefined;
}

/** The key the `networks/ingress` index files the ingress network under. */
export const INGRESS_KEY = 'ingress';

/** `port/protocol` of each ingress port the service publishes (numbered; 0 is never stored). */
export function ingressPortKeys(service: Service | undefined): string[] {
  return (service?.spec.endpoint.ports ?? []).filter((p) => p.publishMode === 'ingress' && p.publishedPort > 0).map((p) => `${p.publishedPort}/${p.protocol}`);
}

/** The cluster's ingress network, if it has one. */
export function ingressNetworkOf(view: Pick<ReadTx, 'byIndex'>): Network | undefined {
  return view.byIndex('networks', 'ingress', INGRESS_KEY)[0];
}

const many = (keys: string[]) => (keys.length === 0 ? undefined : keys.length === 1 ? keys[0] : [...new Set(keys)]);

/**
 * The secondary indexes the store maintains at apply time, per table: index name → the key an
 * object is filed under (undefined: not in this index; an array: under each key). Keys are derived from the object alone,
 * so every replica builds the same indexes from the same entries.
 */
export const INDEXES = {
  clusters: {},
  nodes: {
    hostname: (n: Node) => n.description.hostname,
    /** The network the node has its own ingress address on (`Node.ingress`). */
    ingressNetwork: (n: Node) => n.ingress?.networkId,
    /** `networkId|address` of the node's ingress address: claimed like a task address. */
    ingressAddress: (n: Node) => (n.ingress ? nodeIngressKey(n) : undefined),
  },
  services: {
    name: (s: Service) => s.spec.annotations.name,
    mode: (s: Service) => s.spec.mode.kind,
    /** `networkId|address` of the service's VIPs. */
    vip: (s: Service) => many(vipKeys(s)),
    /** The networks the service has a VIP on. */
    vipNetwork: (s: Service) => many((s.endpoint?.virtualIps ?? []).map((v) => v.networkId)),
    /** The network names its tasks attach to (`spec.task.networks[].target`). */
    networkTarget: (s: Service) => many((s.spec.task.networks ?? []).map((n) => n.target)),
    /** Services that publish a port through the routing mesh, filed under INGRESS_KEY. */
    ingressPorts: (s: Service) => (s.spec.endpoint.ports.some((p) => p.publishMode === 'ingress') ? INGRESS_KEY : undefined),
    /** `port/protocol` of each ingress port: a port is published by one service at most. */
    publishedPort: (s: Service) => many(ingressPortKeys(s)),
  },
  tasks: {
    serviceId: (t: Task) => t.serviceId,
    nodeId: (t: Task) => t.nodeId,
    desiredState: (t: Task) => t.desiredState,
    state: (t: Task) => t.status.state,
    /** Tasks that hold a place (resources, ports) on their node: what the scheduler counts. */
    holdsPlaceOn: (t: Task) => (holdsPlaceOnNode(t) ? t.nodeId : undefined),
    /** `networkId|address` of the overlay addresses the task holds. */
    address: (t: Task) => many(heldAddressKeys(t)),
    /** The networks on which the task holds an address. */
    network: (t: Task) => (holdsAddresses(t) ? many(t.networks!.map((n) => n.networkId)) : undefined),
  },
  networks: {
    name: (n: Network) => n.spec.annotations.name,
    vxlanId: (n: Network) => (n.allocation ? String(n.allocation.vxlanId) : undefined),
    /** The routing mesh's network (at most one), filed under INGRESS_KEY. */
    ingress: (n: Network) => (n.spec.ingress ? INGRESS_KEY : undefined),
  },
} as const satisfies { [K in TableName]: Record<string, (o: Tables[K]) => IndexKeys> };

/** What an index files an object under: no key, one key, or several. */
export type IndexKeys = string | readonly string[] | undefined;

/** The keys as a list. */
export function keyList(keys: IndexKeys): readonly string[] {
  return keys === undefined ? [] : typeof keys === 'string' ? [keys] : keys;
}

/** The names of the indexes of one table. */
export type IndexName<K extends TableName> = keyof (typeof INDEXES)[K] & string;

type KeyFn = (o: Tables[TableName]) => IndexKeys;

/** The key function of one index (a programmer error if it does not exist). */
export function indexKeyFn(table: TableName, index: string): KeyFn {
  const fn = (INDEXES[table] as Record<string, KeyFn | undefined>)[index];
  if (!fn) throw new Error(`no index ${index} on table ${table}`);
  return fn;
}

const LISTED = new Map<TableName, [string, KeyFn][]>(
  (Object.keys(INDEXES) as TableName[]).map((table) => [table, Object.entries(INDEXES[table] as Record<string, KeyFn>)]),
);

/** Every index of a table with its key function. */
export function indexesOf(table: TableName): readonly [string, KeyFn][] {
  return LISTED.get(table)!;
}
