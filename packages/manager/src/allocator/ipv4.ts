/**
 * IPv4 arithmetic on plain numbers (0 .. 2^32-1): what the allocator needs to cut pools into
 * subnets and subnets into addresses. Pure; no Node APIs.
 */

export interface Cidr {
  /** The network address (host bits zero). */
  base: number;
  prefix: number;
}

const OCTET = /^(?:0|[1-9]\d{0,2})$/;

/** "10.0.1.7" → number, or undefined when it is not a dotted IPv4 address. */
export function parseAddress(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatAddress(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The number of addresses in a block of this prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/**
 * "10.0.0.0/8" → Cidr; undefined when malformed. `strict`: host bits must be zero (a subnet);
 * otherwise they are cleared.
 */
export function parseCidr(text: string, strict = true): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (addr === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  const size = blockSize(prefix);
  const base = addr - (addr % size);
  if (strict && base !== addr) return undefined;
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatAddress(c.base)}/${c.prefix}`;
}

/** The last address of the block (its broadcast address). */
export function lastOf(c: Cidr): number {
  return c.base + blockSize(c.prefix) - 1;
}

export function contains(c: Cidr, addr: number): boolean {
  return addr >= c.base && addr <= lastOf(c);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= lastOf(b) && b.base <= lastOf(a);
}

/** The first and last addresses a host may take: all but the network and broadcast addresses. */
export function hostRange(c: Cidr): { first: number; last: number } {
  if (c.prefix >= 31) return { first: c.base, last: lastOf(c) };
  return { first: c.base + 1, last: lastOf(c) - 1 };
}
