import { invalidArgument, type PortConfig, type PortProtocol } from '@shoal/common';
import type { ComposePortLong } from './types.js';

interface Range {
  start: number;
  end: number;
}

function parseRange(text: string, path: string): Range {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const start = Number(m?.[1]);
  const end = m?.[2] === undefined ? start : Number(m[2]);
  if (!m || start < 1 || end > 65535 || end < start) throw invalidArgument(`${path}: invalid port "${text}"`);
  return { start, end };
}

function parseProtocol(text: string, path: string): PortProtocol {
  const p = text.toLowerCase();
  if (p !== 'tcp' && p !== 'udp') throw invalidArgument(`${path}: invalid protocol "${text}": use tcp or udp`);
  return p;
}

/** Splits `[IP:][PUBLISHED:]TARGET` (IPv6 host IPs in brackets) into its parts. */
function splitShort(spec: string): { ip: string; published: string; target: string } {
  let rest = spec;
  let ip = '';
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(rest);
  if (v6) {
    ip = v6[1]!;
    rest = v6[2]!;
  }
  const parts = rest.split(':');
  if (parts.length === 3 && !v6) return { ip: parts[0]!, published: parts[1]!, target: parts[2]! };
  if (parts.length === 2) return { ip, published: parts[0]!, target: parts[1]! };
  if (parts.length === 1) return { ip, published: '', target: parts[0]! };
  return { ip, published: '', target: '' };
}

/** The short syntax: `"80"`, `"8080:80"`, `"8080:80/udp"`, `"127.0.0.1:8080:80"`, `"8000-8001:80-81"`. */
export function parseShortPort(spec: string, path: string, warnings: string[]): PortConfig[] {
  const [body = '', proto = 'tcp', ...extra] = spec.split('/');
  if (extra.length > 0) throw invalidArgument(`${path}: invalid port "${spec}"`);
  const { ip, published, target } = splitShort(body);
  if (target === '') throw invalidArgument(`${path}: invalid port "${spec}": use [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]`);
  if (ip !== '') warnings.push(`${path}: host IP ${ip} is not supported; the port is published on all addresses`);
  const protocol = parseProtocol(proto, path);
  const t = parseRange(target, path);
  const p = published === '' ? undefined : parseRange(published, path);
  const count = t.end - t.start + 1;
  if (p && p.end - p.start + 1 !== count) throw invalidArgument(`${path}: invalid port "${spec}": the published and target ranges differ in size`);
  return Array.from({ length: count }, (_, i) => ({
    protocol,
    targetPort: t.start + i,
    publishedPort: p ? p.start + i : 0,
    publishMode: 'ingress' as const,
  }));
}

/** The long syntax: `{target, published, protocol, mode}`. */
export function parseLongPort(port: ComposePortLong, path: string, warnings: string[]): PortConfig {
  if (port.host_ip !== undefined) warnings.push(`${path}.host_ip: host IP ${port.host_ip} is not supported; the port is published on all addresses`);
  let published = 0;
  if (port.published !== undefined && port.published !== '') {
    const r = parseRange(String(port.published), `${path}.published`);
    if (r.end !== r.start) throw invalidArgument(`${path}.published: port ranges are not supported in the long syntax`);
    published = r.start;
  }
  return {
    protocol: port.protocol ?? 'tcp',
    targetPort: port.target,
    publishedPort: published,
    publishMode: port.mode ?? 'ingress',
  };
}

/** A service's `ports`, in either syntax, as the model's port configs. */
export function convertPorts(ports: readonly (string | number | ComposePortLong)[] | undefined, path: string, warnings: string[]): PortConfig[] {
  return (ports ?? []).flatMap((p, i) => {
    const at = `${path}[${i}]`;
    if (typeof p === 'number') return parseShortPort(String(p), at, warnings);
    if (typeof p === 'string') return parseShortPort(p, at, warnings);
    return [parseLongPort(p, at, warnings)];
  });
}
