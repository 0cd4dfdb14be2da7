import { type NetworkAttachment, type Network, type Task, type TaskNetworkAttachment } from '@shoal/common';
import { addressSpaceOf, pickAddress } from './addresses.js';
import { formatAddress } from './ipv4.js';
import type { NetworkLookup, UsedAddresses } from './used-addresses.js';

export interface TaskAddressInput {
  /** Tasks in state new and meant to run, in the order they should get addresses. */
  tasks: readonly Task[];
  networks: NetworkLookup;
  used: UsedAddresses;
  /** networkId → the last address handed out there (updated in place). */
  cursors: Map<string, number>;
  /** Stop after this many tasks (allocated and failed together). */
  max: number;
  /** The cluster's ingress network: tasks that publish ingress ports get an address on it, last. */
  ingress?: Network;
}

/** A task publishes a port through the routing mesh (so it joins the ingress network). */
export function publishesIngress(task: Pick<Task, 'endpointPorts'>): boolean {
  return task.endpointPorts.some((p) => p.publishMode === 'ingress' && p.publishedPort > 0);
}

/** The networks a task gets addresses on, in order: its service's own, then the ingress network. */
function wantedNetworks(task: Task, input: TaskAddressInput): [Network, NetworkAttachment][] {
  const out: [Network, NetworkAttachment][] = [];
  for (const spec of task.spec.networks) {
    const network = input.networks(spec.target);
    if (network?.allocation && !network.spec.ingress) out.push([network, spec]);
  }
  const ingress = input.ingress;
  if (ingress?.allocation && publishesIngress(task) && !out.some(([n]) => n.id === ingress.id)) out.push([ingress, { target: ingress.spec.annotations.name, aliases: [] }]);
  return out;
}

export interface TaskAddresses {
  taskId: string;
  /** One per overlay network of the task; empty when the task is on none (networks without an object). */
  networks: TaskNetworkAttachment[];
}

export interface TaskAddressResult {
  allocated: TaskAddresses[];
  /** Tasks that must wait: "no free address on network X". */
  failed: { taskId: string; err: string }[];
}

export const noFreeAddress = (name: string) => `no free address on network ${name}`;

function attachment(network: Network, spec: NetworkAttachment, address: number): TaskNetworkAttachment {
  const allocation = network.allocation!;
  const prefix = allocation.subnet.slice(allocation.subnet.indexOf('/'));
  return {
    networkId: network.id,
    name: network.spec.annotations.name,
    address: `${formatAddress(address)}${prefix}`,
    aliases: [...spec.aliases],
    allocation: { ...allocation },
    internal: network.spec.internal,
    attachable: network.spec.attachable,
    driverOpts: { ...network.spec.driverOpts },
  };
}

/**
 * Gives each task an address on every network it names that exists as a network object (a name
 * with no object is a network from before overlays: the task runs on the node's bridge as it
 * did); a task that publishes ingress ports also gets one on the ingress network, last, so its
 * service's first network keeps the default route. A task that cannot get all its addresses gets none and fails with the full network's
 * name; it is tried again when addresses free up. Pure apart from `used` and `cursors`, which it
 * keeps up to date.
 */
export function planTaskAddresses(input: TaskAddressInput): TaskAddressResult {
  const result: TaskAddressResult = { allocated: [], failed: [] };
  const full = new Set<string>();
  for (const task of input.tasks) {
    if (result.allocated.length + result.failed.length >= input.max) break;
    const picked: [Network, NetworkAttachment, number][] = [];
    let err: string | undefined;
    for (const [network, spec] of wantedNetworks(task, input)) {
      const used = input.used.of(network.id);
      const address = full.has(network.id) ? undefined : pickAddress(addressSpaceOf(network.allocation!), (a) => used.has(a), input.cursors.get(network.id) ?? input.used.highest(network.id));
      if (address === undefined) {
        full.add(network.id);
        err = noFreeAddress(network.spec.annotations.name);
        break;
      }
      used.add(address);
      input.cursors.set(network.id, address);
      picked.push([network, spec, address]);
    }
    if (err !== undefined) {
      for (const [network, , address] of picked) input.used.of(network.id).delete(address);
      result.failed.push({ taskId: task.id, err });
      continue;
    }
    result.allocated.push({ taskId: task.id, networks: picked.map(([n, s, a]) => attachment(n, s, a)) });
  }
  return result;
}
