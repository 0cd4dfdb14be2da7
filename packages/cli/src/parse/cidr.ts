import { invalidArgument } from '@shoal/common';
/**
 * IPv4 addresses and CIDR blocks as the CLI checks them before anything is sent (`network create
 * --subnet/--gateway`, compose `ipam.config`, `swarm init --default-addr-pool`). The manager checks
 * them again; these checks only give the clear line early. IPv6 is not supported by shoal's overlays.
 */

export interface Cidr {
  /** The block's first address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

const OCTET = /^(0|[1-9]\d{0,2})$/;

/** `10.0.1.7` as a number; undefined when it is not a dotted-quad IPv4 address. */
export function ipv4ToNumber(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The size of a block of prefix length `prefix`. */
const blockSize = (prefix: number) => 2 ** (32 - prefix);

/**
 * `10.20.0.0/24` as a block. `what` names the flag or key in the error; host bits that are set
 * are refused (Docker refuses them too, for subnets), naming the block that was meant.
 */
export function parseCidr(text: string, what: string): Cidr {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text.trim());
  const address = m ? ipv4ToNumber(m[1]!) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (address === undefined || !(prefix >= 0 && prefix <= 32)) {
    throw invalidArgument(`invalid ${what} "${text}": use an IPv4 CIDR such as 10.20.0.0/24`);
  }
  const base = address - (address % blockSize(prefix));
  if (base !== address) throw invalidArgument(`invalid ${what} "${text}": host bits are set (did you mean ${numberToIpv4(base)}/${prefix}?)`);
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${numberToIpv4(c.base)}/${c.prefix}`;
}

export function cidrContains(c: Cidr, address: number): boolean {
  return address >= c.base && address < c.base + blockSize(c.prefix);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b.base) || cidrContains(b, a.base);
}

/**
 * A gateway for `subnet`: an IPv4 address inside it that is neither its network nor its
 * broadcast address (for prefixes up to /30; /31 and /32 have no room for tasks anyway).
 */
export function checkGateway(text: string, subnet: Cidr, what: string): void {
  const address = ipv4ToNumber(text.trim());
  if (address === undefined) throw invalidArgument(`invalid ${what} "${text}": use an IPv4 address such as 10.20.0.1`);
  if (!cidrContains(subnet, address)) throw invalidArgument(`invalid ${what} "${text}": it is not in subnet ${formatCidr(subnet)}`);
  const last = subnet.base + blockSize(subnet.prefix) - 1;
  if (subnet.prefix <= 30 && (address === subnet.base || address === last)) {
    throw invalidArgument(`invalid ${what} "${text}": it is the ${address === subnet.base ? 'network' : 'broadcast'} address of ${formatCidr(subnet)}`);
  }
}
