import { invalidArgument, resourceExhausted } from '@shoal/common';
import { blockSize, formatAddress, formatCidr, hostRange, lastOf, overlaps, parseAddress, parseCidr, contains, type Cidr } from './ipv4.js';

/** Docker's defaults: 10.0.0.0/8 cut in /24s. */
export const DEFAULT_ADDR_POOL = ['10.0.0.0/8'];
export const DEFAULT_SUBNET_SIZE = 24;
/** The smallest subnet a network may have (a gateway and a few tasks) and the largest. */
export const MIN_SUBNET_PREFIX = 8;
export const MAX_SUBNET_PREFIX = 29;

/** A subnet some network already has. */
export interface TakenSubnet {
  name: string;
  cidr: Cidr;
}

export interface PoolSettings {
  pools: Cidr[];
  subnetSize: number;
}

/**
 * Checks `--default-addr-pool` / `--default-addr-pool-mask-len` (as `swarm init` takes them, empty
 * and 0 meaning the defaults) and returns the settings. Throws one clear line when they are wrong.
 */
export function poolSettings(pool: readonly string[] | undefined, size: number | undefined): PoolSettings {
  const texts = pool && pool.length > 0 ? pool : DEFAULT_ADDR_POOL;
  const subnetSize = size && size > 0 ? size : DEFAULT_SUBNET_SIZE;
  if (texts.length > 64) throw invalidArgument(`at most 64 default address pools may be given (${texts.length} given)`);
  const pools = texts.map((t) => {
    const c = parseCidr(t, false);
    if (!c) throw invalidArgument(`invalid default address pool ${t}: an IPv4 CIDR is expected, e.g. 10.0.0.0/8`);
    return c;
  });
  if (!Number.isInteger(subnetSize) || subnetSize > MAX_SUBNET_PREFIX) {
    throw invalidArgument(`invalid default address pool mask length ${subnetSize}: at most ${MAX_SUBNET_PREFIX}`);
  }
  for (const p of pools) {
    if (p.prefix > subnetSize) throw invalidArgument(`invalid default address pool ${formatCidr(p)}: it is smaller than the subnet size /${subnetSize}`);
  }
  for (let i = 0; i < pools.length; i++) {
    for (let j = i + 1; j < pools.length; j++) {
      if (overlaps(pools[i]!, pools[j]!)) throw invalidArgument(`default address pools ${formatCidr(pools[i]!)} and ${formatCidr(pools[j]!)} overlap`);
    }
  }
  return { pools, subnetSize };
}

/** Intervals [start, end] that a subnet may not overlap, sorted and merged. */
function blockedIntervals(taken: readonly TakenSubnet[], nodeAddrs: readonly number[]): [number, number][] {
  const all: [number, number][] = [...taken.map((t): [number, number] => [t.cidr.base, lastOf(t.cidr)]), ...nodeAddrs.map((a): [number, number] => [a, a])];
  all.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of all) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * The first subnet of `subnetSize` in the pools (in the order given) that overlaps no other
 * network's subnet and holds no node's address. Linear in the number of networks and nodes.
 */
export function pickSubnet(settings: PoolSettings, taken: readonly TakenSubnet[], nodeAddrs: readonly number[]): Cidr {
  const size = blockSize(settings.subnetSize);
  const blocked = blockedIntervals(taken, nodeAddrs);
  for (const pool of settings.pools) {
    let candidate = pool.base;
    const end = lastOf(pool);
    for (const [start, stop] of blocked) {
      if (candidate + size - 1 > end) break;
      if (stop < candidate) continue;
      if (start > candidate + size - 1) break;
      // Blocked: the next candidate is the first aligned block after this interval.
      candidate = Math.ceil((stop + 1) / size) * size;
    }
    if (candidate + size - 1 <= end) return { base: candidate, prefix: settings.subnetSize };
  }
  throw resourceExhausted('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
}

/**
 * A user's subnet (and gateway): checked, then refused when it overlaps another network or holds
 * a node's address. Returns the subnet and its gateway (the first host address when not given).
 */
export function userSubnet(subnet: string, gateway: string | undefined, taken: readonly TakenSubnet[], nodeAddrs: readonly number[]): { cidr: Cidr; gateway: number } {
  const cidr = parseCidr(subnet);
  if (!cidr) throw invalidArgument(`invalid subnet ${subnet}: an IPv4 CIDR with no host bits set is expected, e.g. 10.20.0.0/24`);
  if (cidr.prefix < MIN_SUBNET_PREFIX || cidr.prefix > MAX_SUBNET_PREFIX) {
    throw invalidArgument(`invalid subnet ${subnet}: the prefix length must be between /${MIN_SUBNET_PREFIX} and /${MAX_SUBNET_PREFIX}`);
  }
  for (const t of taken) {
    if (overlaps(cidr, t.cidr)) throw invalidArgument(`subnet ${subnet} overlaps network ${t.name} (${formatCidr(t.cidr)})`);
  }
  const node = nodeAddrs.find((a) => contains(cidr, a));
  if (node !== undefined) throw invalidArgument(`subnet ${subnet} holds the address of a node (${formatAddress(node)})`);
  const { first, last } = hostRange(cidr);
  if (gateway === undefined || gateway === '') return { cidr, gateway: first };
  const gw = parseAddress(gateway);
  if (gw === undefined) throw invalidArgument(`invalid gateway ${gateway}: an IPv4 address is expected`);
  if (gw < first || gw > last) throw invalidArgument(`gateway ${gateway} is not a host address of subnet ${subnet}`);
  return { cidr, gateway: gw };
}
