import { formatBytes, invalidArgument, NETWORK_OPT_MTU, utf8Length, type NetworkSpec } from '@shoal/common';

/** The most bytes a network spec may take as JSON (labels and driver options together). */
export const MAX_NETWORK_SPEC_BYTES = 64 * 1024;
/** The most networks a cluster holds, and the most one service attaches to. */
export const MAX_NETWORKS = 4_096;
export const MAX_NETWORKS_PER_SERVICE = 32;
export const MAX_ALIASES_PER_NETWORK = 32;
const MAX_DRIVER_OPTS = 32;

/** As service names: letters, digits, '-', '_' and '.', at most 63 characters. */
const NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/;
/** Docker's own networks on every node. */
const RESERVED = new Set(['bridge', 'host', 'none', 'docker_gwbridge']);
const ALIAS = /^[a-zA-Z0-9_](?:[a-zA-Z0-9_.-]{0,251}[a-zA-Z0-9_])?$/;

export function checkNetworkSpecSize(json: string): void {
  if (json.length * 3 <= MAX_NETWORK_SPEC_BYTES) return;
  const bytes = utf8Length(json);
  if (bytes > MAX_NETWORK_SPEC_BYTES) throw invalidArgument(`the network spec is ${formatBytes(bytes)}; the limit is ${formatBytes(MAX_NETWORK_SPEC_BYTES)}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalBool = (v: unknown, field: string): boolean => {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw invalidArgument(`malformed network spec: ${field} must be a boolean`);
  return v;
};

function stringMap(v: unknown, field: string, max: number): Record<string, string> {
  if (v === undefined) return {};
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) throw invalidArgument(`malformed network spec: ${field} must map strings to strings`);
  if (Object.keys(v).length > max) throw invalidArgument(`network spec: at most ${max} ${field} (${Object.keys(v).length} given)`);
  return { ...(v as Record<string, string>) };
}

function checkMtu(opts: Record<string, string>): void {
  const mtu = opts[NETWORK_OPT_MTU];
  if (mtu === undefined) return;
  if (!/^\d{1,5}$/.test(mtu) || Number(mtu) < 68 || Number(mtu) > 65535) {
    throw invalidArgument(`invalid ${NETWORK_OPT_MTU} "${mtu}": a number from 68 to 65535 is expected`);
  }
}

function checkIpam(v: unknown): NetworkSpec['ipam'] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalidArgument('malformed network spec: ipam must be an array');
  if (v.length > 1) throw invalidArgument(`network spec: at most one IPAM config is supported (${v.length} given)`);
  return v.map((c: unknown) => {
    if (!isObject(c) || (c.subnet !== undefined && typeof c.subnet !== 'string') || (c.gateway !== undefined && typeof c.gateway !== 'string')) {
      throw invalidArgument('malformed network spec: an IPAM config has a subnet and a gateway, both strings');
    }
    if (c.gateway && !c.subnet) throw invalidArgument(`gateway ${String(c.gateway)} needs a subnet`);
    return { ...(c.subnet ? { subnet: c.subnet as string } : {}), ...(c.gateway ? { gateway: c.gateway as string } : {}) };
  });
}

/**
 * Checks a network spec from the wire the way Docker does and returns it complete (absent flags
 * false, absent maps empty). Throws one clear line.
 */
export function validateNetworkSpec(raw: unknown): NetworkSpec {
  if (!isObject(raw) || !isObject(raw.annotations) || typeof raw.annotations.name !== 'string') {
    throw invalidArgument('malformed network spec: annotations.name must be a string');
  }
  const name = raw.annotations.name;
  if (!NAME.test(name) || name.length > 63) throw invalidArgument(`invalid name "${name}": a network name has at most 63 characters: letters, digits, '-', '_' and '.'`);
  if (RESERVED.has(name)) throw invalidArgument(`network name ${name} is reserved by Docker`);
  const driver = raw.driver ?? 'overlay';
  if (driver !== 'overlay') throw invalidArgument(`network driver "${String(driver)}" is not supported: only overlay networks can be created`);
  const driverOpts = stringMap(raw.driverOpts, 'driver options', MAX_DRIVER_OPTS);
  checkMtu(driverOpts);
  if (raw.ingress === true && raw.attachable === true) throw invalidArgument('ingress network cannot be attachable');
  return {
    annotations: { name, labels: stringMap(raw.annotations.labels, 'labels', 256) },
    driver: 'overlay',
    attachable: optionalBool(raw.attachable, 'attachable'),
    internal: optionalBool(raw.internal, 'internal'),
    ingress: optionalBool(raw.ingress, 'ingress'),
    driverOpts,
    ipam: checkIpam(raw.ipam),
  };
}

/** Checks a service's network attachments: bounded, no network twice, aliases as DNS names. */
export function checkServiceNetworks(service: string, attachments: readonly { target: unknown; aliases?: unknown }[]): void {
  if (attachments.length > MAX_NETWORKS_PER_SERVICE) throw invalidArgument(`service ${service}: at most ${MAX_NETWORKS_PER_SERVICE} networks (${attachments.length} given)`);
  const seen = new Set<string>();
  for (const a of attachments) {
    if (typeof a.target !== 'string' || a.target === '') throw invalidArgument(`service ${service}: a network attachment needs a target network`);
    if (seen.has(a.target)) throw invalidArgument(`service ${service}: network ${a.target} is attached more than once`);
    seen.add(a.target);
    const aliases = a.aliases ?? [];
    if (!Array.isArray(aliases) || aliases.length > MAX_ALIASES_PER_NETWORK) {
      throw invalidArgument(`service ${service}: at most ${MAX_ALIASES_PER_NETWORK} aliases on network ${a.target}`);
    }
    for (const alias of aliases) {
      if (typeof alias !== 'string' || !ALIAS.test(alias)) throw invalidArgument(`service ${service}: invalid alias ${JSON.stringify(alias)} on network ${a.target}`);
    }
  }
}
