import { invalidArgument, LABEL_STACK, type NetworkSpec } from '@shoal/common';
import { buildNetworkSpec, LABEL_STACK_NAMESPACE } from '../network/network-spec.js';
import { keyValueMap } from './merge.js';
import type { ComposeNetwork } from './types.js';


/** Labels in list (`[k=v]`) or map form, values as strings. */
function labelMap(labels: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(keyValueMap(labels)).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

/** The IPAM block: Docker's default driver only, at most one config, subnet and gateway only. */
function ipamFields(def: ComposeNetwork, path: string): { subnet?: string; gateway?: string } {
  const ipam = def.ipam;
  if (!ipam) return {};
  if (ipam.driver !== undefined && ipam.driver !== 'default') throw invalidArgument(`${path}.ipam.driver: "${ipam.driver}" is not supported: shoal allocates addresses itself (leave it out or use default)`);
  const configs = ipam.config ?? [];
  if (configs.length > 1) throw invalidArgument(`${path}.ipam.config: ${configs.length} entries; a network has at most one subnet`);
  const c = configs[0];
  if (!c) return {};
  for (const key of ['ip_range', 'aux_addresses'] as const) {
    if (c[key] !== undefined) throw invalidArgument(`${path}.ipam.config[0].${key}: is not supported (shoal allocates task addresses from the whole subnet)`);
  }
  return { ...(c.subnet !== undefined ? { subnet: c.subnet } : {}), ...(c.gateway !== undefined ? { gateway: c.gateway } : {}) };
}

/**
 * The overlay network a stack creates for its top-level network `key` (full name `name`),
 * labelled with the stack as Docker labels it. Drivers other than overlay are refused.
 */
export function toNetworkSpec(stack: string, key: string, name: string, def: ComposeNetwork | null | undefined): NetworkSpec {
  const path = `networks.${key}`;
  const d = def ?? {};
  if (d.enable_ipv6) throw invalidArgument(`${path}.enable_ipv6: IPv6 is not supported on shoal's overlay networks`);
  const opts = Object.fromEntries(Object.entries(d.driver_opts ?? {}).map(([k, v]) => [k, String(v)]));
  const where = (field: string) =>
    ({ driver: `${path}.driver`, opts: `${path}.driver_opts`, labels: `${path}.labels`, subnet: `${path}.ipam.config[0].subnet`, gateway: `${path}.ipam.config[0].gateway` })[field]!;
  return buildNetworkSpec(
    {
      name,
      ...(d.driver !== undefined ? { driver: d.driver } : {}),
      labels: { ...labelMap(d.labels), [LABEL_STACK_NAMESPACE]: stack, [LABEL_STACK]: stack },
      attachable: d.attachable ?? false,
      internal: d.internal ?? false,
      ingress: false,
      driverOpts: opts,
      ...ipamFields(d, path),
    },
    where,
  );
}
