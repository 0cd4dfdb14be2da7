import { cidrsOverlap, formatCidr, parseCidr, type Cidr } from './cidr.js';

/** `swarm init --default-addr-pool` (repeatable) and `--default-addr-pool-mask-len`; empty and 0: the manager's defaults. */
export interface AddrPool {
  cidrs: readonly string[];
  maskLen: number;
}

/** Docker's range for `--default-addr-pool-mask-len`. */
export const MIN_POOL_MASK_LEN = 8;
export const MAX_POOL_MASK_LEN = 30;
/** The default subnet size of network subnets (Docker's). */
export const DEFAULT_POOL_MASK_LEN = 24;
/** The most `--default-addr-pool` flags one init takes. */
export const MAX_ADDR_POOLS = 64;

function maskLen(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = /^\d{1,2}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n >= MIN_POOL_MASK_LEN && n <= MAX_POOL_MASK_LEN)) {
    throw new Error(`invalid --default-addr-pool-mask-len "${text}": use a number from ${MIN_POOL_MASK_LEN} to ${MAX_POOL_MASK_LEN}`);
  }
  return n;
}

/**
 * `swarm init --default-addr-pool CIDR...` and `--default-addr-pool-mask-len N`, checked as Docker
 * checks them: IPv4 CIDRs without host bits, no two overlapping, each at least as large as the
 * subnets cut from it. Absent flags stay empty / 0 (the manager's defaults: 10.0.0.0/8 in /24s).
 */
export function parseAddrPool(cidrs: readonly string[] | undefined, maskLenText: string | undefined): AddrPool {
  const list = cidrs ?? [];
  if (list.length > MAX_ADDR_POOLS) throw new Error(`--default-addr-pool was given ${list.length} times; the limit is ${MAX_ADDR_POOLS}`);
  const size = maskLen(maskLenText);
  const pools: Cidr[] = [];
  for (const text of list) {
    const pool = parseCidr(text, '--default-addr-pool');
    const subnetSize = size || DEFAULT_POOL_MASK_LEN;
    if (pool.prefix > subnetSize) {
      throw new Error(`invalid --default-addr-pool "${text}": it is smaller than the /${subnetSize} subnets cut from it (use a larger pool or a larger --default-addr-pool-mask-len)`);
    }
    const clash = pools.find((p) => cidrsOverlap(p, pool));
    if (clash) throw new Error(`invalid --default-addr-pool "${text}": it overlaps ${formatCidr(clash)}`);
    pools.push(pool);
  }
  return { cidrs: pools.map(formatCidr), maskLen: size };
}
