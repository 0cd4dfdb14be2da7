import { invalidArgument, NETWORK_OPT_MTU, type IpamConfig, type NetworkSpec } from '@shoal/common';
import { checkGateway, formatCidr, parseCidr } from '../parse/cidr.js';

/**
 * The checks a network spec gets before it is sent, shared by `network create` and the compose
 * converter; `where` starts each error (`--subnet`, `networks.back.ipam.config[0].subnet`). The
 * manager checks again; these give the clear line without a round trip.
 */

/** Docker's label on every object of a stack; shoal's own (`io.shoal.stack`) goes beside it on networks. */
export const LABEL_STACK_NAMESPACE = 'com.docker.stack.namespace';

/** Docker's node-local networks: they exist on every engine and are never shoal networks. */
export const RESERVED_NETWORK_NAMES: readonly string[] = ['bridge', 'host', 'none', 'docker_gwbridge'];

/** The longest network name accepted (stack networks are `STACK_KEY`). */
export const MAX_NETWORK_NAME_LENGTH = 63;
/** Bounds of what a user may attach to a network: labels and driver options. */
export const MAX_NETWORK_LABELS = 256;
export const MAX_NETWORK_OPTS = 32;

/** As the manager checks them (and service names): letters, digits, '_', '.', '-', alphanumeric at both ends. */
const NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/;

export function checkNetworkName(name: string): void {
  if (RESERVED_NETWORK_NAMES.includes(name)) throw invalidArgument(`network name ${name} is reserved: it is one of Docker's node-local networks (${RESERVED_NETWORK_NAMES.join(', ')})`);
  if (!NAME.test(name)) throw invalidArgument(`invalid network name "${name}": use letters, digits, '_', '.' and '-', starting and ending with a letter or digit`);
  if (name.length > MAX_NETWORK_NAME_LENGTH) throw invalidArgument(`network name "${name}" is ${name.length} characters long; the limit is ${MAX_NETWORK_NAME_LENGTH}`);
}

/** Only overlay networks span the swarm; a `bridge` (or any other) driver is node-local. */
export function checkDriver(driver: string | undefined, where: string): 'overlay' {
  if (driver === undefined || driver === '' || driver === 'overlay') return 'overlay';
  throw invalidArgument(`${where}: driver "${driver}" is not supported: only overlay networks are cluster-wide (use driver overlay)`);
}

/** The MTU option must be a number a Linux link accepts; `encrypted` takes no value, any is accepted. */
export function checkDriverOpts(opts: Record<string, string>, where: string): Record<string, string> {
  if (Object.keys(opts).length > MAX_NETWORK_OPTS) throw invalidArgument(`${where}: ${Object.keys(opts).length} options; the limit is ${MAX_NETWORK_OPTS}`);
  const mtu = opts[NETWORK_OPT_MTU];
  if (mtu !== undefined && (!/^\d{1,5}$/.test(mtu.trim()) || Number(mtu) < 68 || Number(mtu) > 65535)) {
    throw invalidArgument(`${where}: invalid ${NETWORK_OPT_MTU} "${mtu}": use a number from 68 to 65535`);
  }
  return opts;
}

export function checkLabels(labels: Record<string, string>, where: string): Record<string, string> {
  if (Object.keys(labels).length > MAX_NETWORK_LABELS) throw invalidArgument(`${where}: ${Object.keys(labels).length} labels; the limit is ${MAX_NETWORK_LABELS}`);
  return labels;
}

/** A subnet (normalised) and a gateway inside it; a gateway needs a subnet, as in Docker. */
export function checkIpam(subnet: string | undefined, gateway: string | undefined, where: { subnet: string; gateway: string }): IpamConfig[] {
  if (subnet === undefined || subnet === '') {
    if (gateway) throw invalidArgument(`${where.gateway}: a gateway needs a subnet (give ${where.subnet} too)`);
    return [];
  }
  const cidr = parseCidr(subnet, where.subnet);
  if (cidr.prefix > 30) throw invalidArgument(`invalid ${where.subnet} "${subnet}": a /${cidr.prefix} has no room for tasks (use /30 or larger)`);
  if (gateway) checkGateway(gateway, cidr, where.gateway);
  return [{ subnet: formatCidr(cidr), ...(gateway ? { gateway: gateway.trim() } : {}) }];
}

export interface NetworkFields {
  name: string;
  driver?: string;
  labels: Record<string, string>;
  attachable: boolean;
  internal: boolean;
  ingress: boolean;
  driverOpts: Record<string, string>;
  subnet?: string;
  gateway?: string;
}

/** A checked NetworkSpec; `where(key)` names the flag or compose key of each field in errors. */
export function buildNetworkSpec(f: NetworkFields, where: (key: 'driver' | 'opts' | 'labels' | 'subnet' | 'gateway') => string): NetworkSpec {
  checkNetworkName(f.name);
  return {
    annotations: { name: f.name, labels: checkLabels(f.labels, where('labels')) },
    driver: checkDriver(f.driver, where('driver')),
    attachable: f.attachable,
    internal: f.internal,
    ingress: f.ingress,
    driverOpts: checkDriverOpts(f.driverOpts, where('opts')),
    ipam: checkIpam(f.subnet, f.gateway, { subnet: where('subnet'), gateway: where('gateway') }),
  };
}
