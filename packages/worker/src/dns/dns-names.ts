/** Small pure helpers on names and IPv4 addresses for the DNS resolver. */

export interface Subnet {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  mask: number;
}

/** Longest name DNS allows (RFC 1035: 255 octets on the wire, 253 characters in text). */
export const MAX_NAME_CHARS = 253;

/** Lower case, without the trailing dot: the key the index uses. */
export function normalizeName(name: string): string {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  return trimmed.toLowerCase();
}

export function parseIpv4(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n >>> 0;
}

/** "10.0.1.0/24" → base and mask; undefined when it is not an IPv4 CIDR. */
export function parseSubnet(cidr: string): Subnet | undefined {
  const [addr, len] = cidr.split('/');
  const ip = parseIpv4(addr ?? '');
  const bits = Number(len);
  if (ip === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ip & mask) >>> 0, mask };
}

/** "7.1.0.10.in-addr.arpa" (normalized) → "10.0.1.7"; undefined for any other name. */
export function reverseAddress(name: string): string | undefined {
  const suffix = '.in-addr.arpa';
  if (!name.endsWith(suffix)) return undefined;
  const labels = name.slice(0, -suffix.length).split('.');
  if (labels.length !== 4) return undefined;
  const address = labels.reverse().join('.');
  return parseIpv4(address) === undefined ? undefined : address;
}
