import type { Cluster, Network, NetworkAllocation, NetworkSpec, Node, Task } from '@shoal/common';
import { formatAddress, formatCidr, hostRange, parseAddress, parseCidr } from './ipv4.js';
import { pickSubnet, poolSettings, userSubnet, type TakenSubnet } from './subnets.js';
import { pickVxlanId } from './vxlan-ids.js';

/** A network some task still holds an address on, though the network object is gone (removed). */
export interface LingeringNetwork {
  networkId: string;
  allocation: NetworkAllocation;
}

export interface NetworkAllocationInput {
  spec: NetworkSpec;
  /** Every network in the store. */
  networks: readonly Network[];
  /** Removed networks that tasks still use: their subnet and VXLAN ID stay reserved until they stop. */
  lingering?: readonly LingeringNetwork[];
  nodes: readonly NodeAddrs[];
  cluster: { spec: Pick<Cluster['spec'], 'defaultAddrPool' | 'subnetSize'> } | undefined;
}

/** What a subnet must keep clear of: a node's seen and advertised addresses. */
export type NodeAddrs = { status: Pick<Node['status'], 'addr'>; managerStatus?: Pick<NonNullable<Node['managerStatus']>, 'addr'> };

/** The host part of "10.99.0.2", "10.99.0.2:4242" or "[::1]:4242", as a number (IPv4 only). */
function hostAddress(addr: string | undefined): number | undefined {
  if (!addr) return undefined;
  const colon = addr.lastIndexOf(':');
  return parseAddress(colon > 0 && addr.indexOf(':') === colon ? addr.slice(0, colon) : addr);
}

/** Every node's addresses (seen and advertised): no network subnet may hold one. */
export function nodeAddresses(nodes: readonly NodeAddrs[]): number[] {
  const out = new Set<number>();
  for (const n of nodes) {
    for (const a of [n.status.addr, n.managerStatus?.addr]) {
      const parsed = hostAddress(a);
      if (parsed !== undefined) out.add(parsed);
    }
  }
  return [...out];
}

/** The lingering networks among the networks that tasks hold addresses on (see the `tasks/network` index). */
export function lingeringNetworks(networkIds: readonly string[], exists: (id: string) => boolean, anyTaskOn: (id: string) => Task | undefined): LingeringNetwork[] {
  const out: LingeringNetwork[] = [];
  for (const id of networkIds) {
    if (exists(id)) continue;
    const attachment = anyTaskOn(id)?.networks?.find((n) => n.networkId === id);
    if (attachment) out.push({ networkId: id, allocation: attachment.allocation });
  }
  return out;
}

/**
 * What a new network gets: its subnet (the user's, checked, or the next free one of the cluster's
 * pool), its gateway (the user's or the first host address) and the lowest free VXLAN ID. Pure;
 * throws one clear line when the subnet clashes or the pool is used up.
 */
export function allocateNetwork(input: NetworkAllocationInput): NetworkAllocation {
  const held = [...input.networks.flatMap((n) => (n.allocation ? [{ name: n.spec.annotations.name, allocation: n.allocation }] : [])), ...(input.lingering ?? []).map((l) => ({ name: `${l.networkId} (removed, still in use)`, allocation: l.allocation }))];
  const taken: TakenSubnet[] = held.flatMap((h) => {
    const cidr = parseCidr(h.allocation.subnet);
    return cidr ? [{ name: h.name, cidr }] : [];
  });
  const nodeAddrs = nodeAddresses(input.nodes);
  const vxlanId = pickVxlanId(new Set(held.map((h) => h.allocation.vxlanId)));
  const wanted = input.spec.ipam[0];
  if (wanted?.subnet) {
    const { cidr, gateway } = userSubnet(wanted.subnet, wanted.gateway, taken, nodeAddrs);
    return { subnet: formatCidr(cidr), gateway: formatAddress(gateway), vxlanId };
  }
  const settings = poolSettings(input.cluster?.spec.defaultAddrPool, input.cluster?.spec.subnetSize);
  const cidr = pickSubnet(settings, taken, nodeAddrs);
  return { subnet: formatCidr(cidr), gateway: formatAddress(hostRange(cidr).first), vxlanId };
}
