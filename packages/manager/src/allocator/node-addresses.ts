import type { Network, Node, NodeIngressAttachment } from '@shoal/common';
import { addressSpaceOf, pickAddress } from './addresses.js';
import { formatAddress } from './ipv4.js';
import type { UsedAddresses } from './used-addresses.js';

export interface NodeAddressInput {
  /** Every node in the store, in the order they should get addresses. */
  nodes: readonly Node[];
  /** The cluster's ingress network; undefined when it has none. */
  ingress: Network | undefined;
  used: UsedAddresses;
  /** networkId → the last address handed out there (updated in place; shared with tasks). */
  cursors: Map<string, number>;
  /** Stop after this many changes. */
  max: number;
}

export interface NodeAddressResult {
  /** Nodes that get an address on the ingress network (new, or on a network that was replaced). */
  assigned: { nodeId: string; ingress: NodeIngressAttachment }[];
  /** Nodes whose address is on a network that is no longer the ingress network (or none is left). */
  cleared: string[];
  /** The ingress network is full: these nodes must wait (`no free address on network X`). */
  failed: { nodeId: string; err: string }[];
}

/**
 * Every node's own address on the ingress network (issue 11): a node without one gets the next
 * free address (as tasks do, from the same space); a node holding one on a network that is not the
 * current ingress network (removed, or replaced by a new one) gets a new one, or loses it when the
 * cluster has no ingress network. Pure apart from `used` and `cursors`, which it keeps up to date.
 */
export function planNodeAddresses(input: NodeAddressInput): NodeAddressResult {
  const result: NodeAddressResult = { assigned: [], cleared: [], failed: [] };
  const ingress = input.ingress?.allocation ? input.ingress : undefined;
  const changes = () => result.assigned.length + result.cleared.length + result.failed.length;
  for (const node of input.nodes) {
    if (changes() >= input.max) break;
    if (node.ingress && node.ingress.networkId === ingress?.id) continue;
    if (!ingress) {
      if (node.ingress) result.cleared.push(node.id);
      continue;
    }
    const allocation = ingress.allocation!;
    const used = input.used.of(ingress.id);
    const address = pickAddress(addressSpaceOf(allocation), (a) => used.has(a), input.cursors.get(ingress.id) ?? input.used.highest(ingress.id));
    if (address === undefined) {
      result.failed.push({ nodeId: node.id, err: `no free address on network ${ingress.spec.annotations.name} for node ${node.id}` });
      continue;
    }
    used.add(address);
    input.cursors.set(ingress.id, address);
    const prefix = allocation.subnet.slice(allocation.subnet.indexOf('/'));
    result.assigned.push({ nodeId: node.id, ingress: { networkId: ingress.id, address: `${formatAddress(address)}${prefix}` } });
  }
  return result;
}

/** Whether a node needs the pass: it has no address on the current ingress network, or one on another. */
export function nodeNeedsAddress(node: Node, ingressId: string | undefined): boolean {
  return (node.ingress?.networkId ?? undefined) !== ingressId;
}
