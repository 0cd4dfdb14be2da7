import type { NetworkTable, NodeNetwork } from '@shoal/common';
import { parseIpv4, parseSubnet, type Subnet } from './dns-names.js';

/**
 * The NetworkTable turned into the maps the resolver reads, built once per table so that a query
 * is a few Map lookups and a new table replaces the old one in one assignment.
 */
export interface DnsIndex {
  networks: ReadonlyMap<string, NetworkNames>;
  /** A network's gateway (where shoald listens) → the network's id. */
  byGateway: ReadonlyMap<string, string>;
  /** A task → the networks it has an address on (to widen a query's scope to all of them). */
  networksOfTask: ReadonlyMap<string, readonly string[]>;
}

export interface NetworkNames {
  id: string;
  /** Lower case: `NAME.NETWORK` names a service on this network. */
  name: string;
  subnet: Subnet | undefined;
  /**
   * Lower-case name → what it answers. Only names with at least one serving task are here, so a
   * name whose tasks all stopped or turned unhealthy is NXDOMAIN, as it is in Docker once the last
   * task's records are gone.
   */
  names: ReadonlyMap<string, NameEntry>;
  /** Address → the name a PTR query answers (`SERVICE.NETWORK`), for VIPs and serving tasks. */
  reverse: ReadonlyMap<string, string>;
  /** Task address → task id, for every endpoint (serving or not): who is asking. */
  callers: ReadonlyMap<string, string>;
}

export interface NameEntry {
  addresses: readonly string[];
  /** Task addresses (tasks.NAME, dnsrr): shuffled per answer. A VIP: one address, as is. */
  shuffle: boolean;
}

export const EMPTY_DNS_INDEX: DnsIndex = { networks: new Map(), byGateway: new Map(), networksOfTask: new Map() };

export function buildDnsIndex(table: NetworkTable): DnsIndex {
  const networks = new Map<string, NetworkNames>();
  const byGateway = new Map<string, string>();
  const networksOfTask = new Map<string, string[]>();
  for (const net of table.networks) {
    networks.set(net.id, networkNames(net));
    byGateway.set(net.allocation.gateway, net.id);
    for (const ep of net.endpoints) {
      const list = networksOfTask.get(ep.taskId);
      if (list) list.push(net.id);
      else networksOfTask.set(ep.taskId, [net.id]);
    }
  }
  return { networks, byGateway, networksOfTask };
}

function networkNames(net: NodeNetwork): NetworkNames {
  const servingByService = new Map<string, string[]>();
  const callers = new Map<string, string>();
  for (const ep of net.endpoints) {
    callers.set(ep.address, ep.taskId);
    if (!ep.serving) continue;
    const list = servingByService.get(ep.serviceId);
    if (list) list.push(ep.address);
    else servingByService.set(ep.serviceId, [ep.address]);
  }
  const names = new Map<string, { addresses: Set<string>; shuffle: boolean }>();
  const add = (name: string, addresses: readonly string[], shuffle: boolean) => {
    const key = name.toLowerCase();
    const entry = names.get(key) ?? { addresses: new Set<string>(), shuffle: false };
    for (const a of addresses) entry.addresses.add(a);
    entry.shuffle = entry.shuffle || shuffle || entry.addresses.size > 1;
    names.set(key, entry);
  };
  const reverse = new Map<string, string>();
  const netName = net.name.toLowerCase();
  for (const svc of net.services) {
    const serving = servingByService.get(svc.id) ?? [];
    if (serving.length === 0) continue;
    const answer = svc.endpointMode === 'vip' && svc.vip ? [svc.vip] : serving;
    for (const name of [svc.name, ...svc.aliases]) {
      add(name, answer, answer === serving);
      add(`tasks.${name}`, serving, true);
    }
    const ptr = `${svc.name}.${netName}`;
    for (const a of serving) reverse.set(a, ptr);
    if (svc.vip) reverse.set(svc.vip, ptr);
  }
  const frozen = new Map<string, NameEntry>();
  for (const [key, e] of names) frozen.set(key, { addresses: [...e.addresses], shuffle: e.shuffle });
  return { id: net.id, name: netName, subnet: parseSubnet(net.allocation.subnet), names: frozen, reverse, callers };
}

/** Whether `address` is inside the network's subnet (a PTR query for it is ours to answer). */
export function inSubnet(subnet: Subnet | undefined, address: string): boolean {
  const ip = parseIpv4(address);
  if (!subnet || ip === undefined) return false;
  return (ip & subnet.mask) >>> 0 === subnet.base;
}
