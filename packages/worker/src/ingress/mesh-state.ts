import type { IngressTable, PortProtocol } from '@shoal/common';
import { bridgeName } from '../network/names.js';
import { isIpv4 } from '../vip/vip-plan.js';

/**
 * What the routing mesh of this node must do, as every backend needs it: the ingress bridge, the
 * node's own address on it, whether forwarded connections keep the client's address, and the
 * published ports that have at least one backend. Pure; built from the dispatcher's IngressTable.
 */
export type ClientAddressMode = 'preserved' | 'snat';

export interface MeshBackend {
  ip: string;
  port: number;
}

export interface MeshPort {
  protocol: PortProtocol;
  publishedPort: number;
  /** Deduplicated, in the table's order (the manager sorts them by task). Never empty. */
  backends: MeshBackend[];
  /** The backends as one string ("ip:port,..."): two states compare port by port without rendering. */
  signature: string;
}

export interface MeshState {
  /** The ingress network's bridge on this node (`shb-<id10>`): SNAT in 'snat' mode leaves through it. */
  bridge: string;
  /** This node's plain address on the ingress network: the source of SNATed connections. */
  nodeAddress: string;
  mode: ClientAddressMode;
  /** Keyed by portKey(), in the table's order (the dispatcher sends them sorted). */
  ports: Map<string, MeshPort>;
}

/** Bounds on what one table may ask of the kernel (every port of both protocols; a large service). */
export const MAX_MESH_PORTS = 2 * 65_535;
export const MAX_PORT_BACKENDS = 1_024;

export function portKey(p: { protocol: PortProtocol; publishedPort: number }): string {
  return `${p.protocol}/${p.publishedPort}`;
}

const validPort = (n: number): boolean => Number.isInteger(n) && n > 0 && n <= 65_535;

/**
 * The mesh this node must program, or undefined when there is none (no ingress network, or no
 * address of this node on it: mesh off, no rules at all). Ports without a backend are left out:
 * no rule means the host's own stack refuses them at once. Entries that do not validate are
 * skipped and named in `rejected` (one line each), never programmed.
 */
export function meshState(table: IngressTable, mode: ClientAddressMode): { state: MeshState | undefined; rejected: string[] } {
  const rejected: string[] = [];
  const net = table.network;
  if (!net) return { state: undefined, rejected };
  if (!isIpv4(net.nodeAddress) || !/^[0-9a-zA-Z]{1,64}$/.test(net.id)) {
    return { state: undefined, rejected: [`ingress network ${net.id}: unusable node address "${net.nodeAddress}"`] };
  }
  const ports = new Map<string, MeshPort>();
  for (const e of table.ports) {
    const key = portKey(e);
    if ((e.protocol !== 'tcp' && e.protocol !== 'udp') || !validPort(e.publishedPort)) rejected.push(`port ${key}: not a tcp/udp port`);
    else if (ports.has(key)) rejected.push(`port ${key}: listed twice`);
    else if (ports.size >= MAX_MESH_PORTS) rejected.push(`port ${key}: more than ${MAX_MESH_PORTS} ports`);
    else {
      const { backends, signature } = uniqueBackends(e.backends, key, rejected);
      if (backends.length > 0) ports.set(key, { protocol: e.protocol, publishedPort: e.publishedPort, backends, signature });
    }
  }
  return { state: { bridge: bridgeName(net.id), nodeAddress: net.nodeAddress, mode, ports }, rejected };
}

/** The valid backends of one port, deduplicated, and their signature; one pass, no Set for the usual handful. */
function uniqueBackends(list: readonly { ip: string; port: number }[], key: string, rejected: string[]): Pick<MeshPort, 'backends' | 'signature'> {
  const ids: string[] = [];
  const backends: MeshBackend[] = [];
  for (const b of list) {
    const id = `${b.ip}:${b.port}`;
    if (!isIpv4(b.ip) || !validPort(b.port)) rejected.push(`port ${key}: bad backend ${id}`);
    else if (backends.length >= MAX_PORT_BACKENDS) rejected.push(`port ${key}: more than ${MAX_PORT_BACKENDS} backends`);
    else if (!ids.includes(id)) {
      ids.push(id);
      backends.push({ ip: b.ip, port: b.port });
    }
  }
  return { backends, signature: ids.length === 1 ? ids[0]! : ids.join(',') };
}

/** Bridge, address and mode: when these change, every backend rewrites its fixed chains. */
export function sameFrame(a: MeshState | undefined, b: MeshState | undefined): boolean {
  if (!a || !b) return a === b;
  return a.bridge === b.bridge && a.nodeAddress === b.nodeAddress && a.mode === b.mode;
}

/** The keys of ports added, removed or whose backends changed between two states. O(ports), no rendering. */
export function changedPortKeys(before: MeshState | undefined, after: MeshState | undefined): string[] {
  const keys = new Set<string>();
  for (const [k, p] of after?.ports ?? []) if (before?.ports.get(k)?.signature !== p.signature) keys.add(k);
  for (const k of before?.ports.keys() ?? []) if (!after?.ports.has(k)) keys.add(k);
  return [...keys];
}

/** A backend a port no longer sends to: connections this node handed it must be forgotten. */
export interface DepartedBackend {
  protocol: PortProtocol;
  publishedPort: number;
  ip: string;
  port: number;
}

/** With `keys` (changedPortKeys), only those ports are looked at: the others kept their backends. */
export function departedBackends(before: MeshState | undefined, after: MeshState | undefined, keys?: readonly string[]): DepartedBackend[] {
  const out: DepartedBackend[] = [];
  const ports: Iterable<[string, MeshPort]> = keys ? keys.flatMap((k): [string, MeshPort][] => (before?.ports.has(k) ? [[k, before.ports.get(k)!]] : [])) : (before?.ports ?? []);
  for (const [k, p] of ports) {
    const live = new Set((after?.ports.get(k)?.backends ?? []).map((b) => `${b.ip}:${b.port}`));
    for (const b of p.backends) if (!live.has(`${b.ip}:${b.port}`)) out.push({ protocol: p.protocol, publishedPort: p.publishedPort, ip: b.ip, port: b.port });
  }
  return out;
}

/**
 * `conntrack -D` arguments that drop the connections this node translated from a published port
 * to one backend: original destination port = the published port, reply from backend:port.
 */
export function conntrackDeleteArgs(d: DepartedBackend): string[] {
  return ['-D', '-p', d.protocol, '--orig-port-dst', String(d.publishedPort), '--reply-src', d.ip, '--reply-port-src', String(d.port)];
}
