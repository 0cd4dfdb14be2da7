/** Where shoald forwards the names that are not the cluster's: `--dns` flags, else the host's resolv.conf. */

export interface Upstream {
  host: string;
  port: number;
}

export const DNS_PORT = 53;
/** resolv.conf's own limit (MAXNS); more would only add timeouts before an answer. */
export const MAX_UPSTREAMS = 3;

/**
 * "1.1.1.1", "1.1.1.1:5353", "::1", "[::1]:5353" → an upstream; undefined when it is none.
 * `isIp` is node:net's isIP (passed in: this file is pure).
 */
export function parseUpstream(text: string, isIp: (s: string) => number): Upstream | undefined {
  const s = text.trim();
  if (isIp(s)) return { host: s, port: DNS_PORT };
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  const plain = /^([^:]+):(\d+)$/.exec(s);
  const m = bracketed ?? plain;
  if (!m) return undefined;
  const port = Number(m[2]);
  if (!isIp(m[1]!) || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: m[1]!, port };
}

/** The `nameserver` lines of a resolv.conf (at most MAX_UPSTREAMS, as the C library reads). */
export function resolvConfNameservers(text: string, isIp: (s: string) => number): Upstream[] {
  const out: Upstream[] = [];
  for (const line of text.split('\n')) {
    const [keyword, address] = line.trim().split(/\s+/);
    if (keyword !== 'nameserver' || !address) continue;
    // A scoped IPv6 address (fe80::1%eth0) names an interface of the host: keep it as written.
    const host = address.split('%')[0]!;
    if (!isIp(host)) continue;
    out.push({ host: address, port: DNS_PORT });
    if (out.length === MAX_UPSTREAMS) break;
  }
  return out;
}

export function upstreamText(u: Upstream): string {
  return u.host.includes(':') ? `[${u.host}]:${u.port}` : `${u.host}:${u.port}`;
}
