import { assert, type NetworkAllocation } from '@shoal/common';
import { hostRange, parseAddress, parseCidr, type Cidr } from './ipv4.js';

/** Where a network's task addresses and VIPs come from. */
export interface AddressSpace {
  cidr: Cidr;
  gateway: number;
}

export function addressSpaceOf(allocation: NetworkAllocation): AddressSpace {
  const cidr = parseCidr(allocation.subnet);
  const gateway = parseAddress(allocation.gateway);
  assert(cidr && gateway !== undefined, `stored network allocation is malformed: ${allocation.subnet} via ${allocation.gateway}`);
  return { cidr, gateway };
}

/** The key under which an address on a network is held, in the store's indexes and checks. */
export function addressKey(networkId: string, plainAddress: string): string {
  return `${networkId}|${plainAddress}`;
}

/**
 * The next free host address after `after` (wrapping round to the start of the subnet), skipping
 * the network, broadcast and gateway addresses and every address `isUsed` says is held. Starting
 * after the last address handed out (rather than at the lowest free one) keeps an address that was
 * just freed out of use for as long as the subnet allows, so stale DNS answers and neighbour
 * entries elsewhere do not reach a newcomer. Undefined when the subnet is full. O(subnet) at worst.
 */
export function pickAddress(space: AddressSpace, isUsed: (address: number) => boolean, after?: number): number | undefined {
  const { first, last } = hostRange(space.cidr);
  const start = after !== undefined && after >= first && after < last ? after + 1 : first;
  const free = (a: number) => a !== space.gateway && !isUsed(a);
  for (let a = start; a <= last; a++) if (free(a)) return a;
  for (let a = first; a < start; a++) if (free(a)) return a;
  return undefined;
}
