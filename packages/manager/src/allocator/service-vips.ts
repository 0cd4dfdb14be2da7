import { addressOf, resourceExhausted, type Network, type VirtualIp } from '@shoal/common';
import { addressSpaceOf, pickAddress } from './addresses.js';
import { formatAddress } from './ipv4.js';
import type { UsedAddresses } from './used-addresses.js';

/**
 * A service's VIPs after a create or update: one per network it is on (mode vip), the VIP it
 * already had on a network kept, a new one for a network it joins; none in mode dnsrr. VIPs on
 * networks it leaves are dropped, which frees them. Throws when a network has no free address.
 */
export function planServiceVips(networks: readonly Network[], current: readonly VirtualIp[], mode: 'vip' | 'dnsrr', used: UsedAddresses): VirtualIp[] {
  if (mode === 'dnsrr') return [];
  const out: VirtualIp[] = [];
  for (const network of networks) {
    if (!network.allocation || network.spec.ingress) continue;
    const kept = current.find((v) => v.networkId === network.id);
    if (kept) {
      out.push({ networkId: kept.networkId, address: kept.address });
      continue;
    }
    const taken = used.of(network.id);
    const address = pickAddress(addressSpaceOf(network.allocation), (a) => taken.has(a), used.highest(network.id));
    if (address === undefined) throw resourceExhausted(`no free address on network ${network.spec.annotations.name} for the service's virtual IP`);
    taken.add(address);
    out.push({ networkId: network.id, address: `${formatAddress(address)}${network.allocation.subnet.slice(network.allocation.subnet.indexOf('/'))}` });
  }
  return out;
}

/** Plain VIP addresses, for messages and tests. */
export const vipAddresses = (vips: readonly VirtualIp[]) => vips.map((v) => addressOf(v.address));
