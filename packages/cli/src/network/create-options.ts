import type { NetworkSpec } from '@shoal/common';
import { keyValues } from '../parse/key-value.js';
import { buildNetworkSpec } from './network-spec.js';

/** The options of `network create`, as commander hands them over. */
export interface NetworkCreateOptions {
  driver?: string;
  subnet?: string[];
  gateway?: string[];
  attachable?: boolean;
  internal?: boolean;
  ingress?: boolean;
  opt?: string[];
  label?: string[];
  scope?: string;
}

/** Docker takes several --subnet/--gateway (one per IPAM pool); a shoal network has one subnet. */
function single(values: string[] | undefined, flag: string): string | undefined {
  if (values && values.length > 1) throw new Error(`${flag} was given ${values.length} times: a shoal network has one subnet`);
  return values?.[0];
}

const FLAGS = { driver: '--driver', opts: '--opt', labels: '--label', subnet: '--subnet', gateway: '--gateway' } as const;

/** The NetworkSpec `network create NAME` sends. */
export function buildNetworkCreateSpec(name: string, opts: NetworkCreateOptions): NetworkSpec {
  if (opts.scope !== undefined && opts.scope !== 'swarm') throw new Error(`invalid --scope "${opts.scope}": shoal networks span the swarm (use swarm or leave it out)`);
  const subnet = single(opts.subnet, '--subnet');
  const gateway = single(opts.gateway, '--gateway');
  return buildNetworkSpec(
    {
      name,
      ...(opts.driver !== undefined ? { driver: opts.driver } : {}),
      labels: keyValues(opts.label, 'label'),
      attachable: opts.attachable ?? false,
      internal: opts.internal ?? false,
      ingress: opts.ingress ?? false,
      driverOpts: keyValues(opts.opt, 'option'),
      ...(subnet !== undefined ? { subnet } : {}),
      ...(gateway !== undefined ? { gateway } : {}),
    },
    (key) => FLAGS[key],
  );
}
