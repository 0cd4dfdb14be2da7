import { invalidArgument, type Network, type NetworkSpec } from '@shoal/common';
import { specEqual } from './spec-equal.js';

export type NetworkAction = { kind: 'create'; name: string; spec: NetworkSpec } | { kind: 'exists'; name: string; network: Network };

const show = (v: unknown) => (typeof v === 'string' ? v || '(none)' : JSON.stringify(v));

/** The first field where the stored network is not what the files ask for: [field, stored, wanted]. */
export function networkDifference(network: Network, wanted: NetworkSpec): [string, string, string] | undefined {
  const have = network.spec;
  for (const key of ['driver', 'attachable', 'internal', 'ingress'] as const) {
    if (have[key] !== wanted[key]) return [key, show(have[key]), show(wanted[key])];
  }
  if (!specEqual(have.driverOpts, wanted.driverOpts)) return ['driver_opts', show(have.driverOpts), show(wanted.driverOpts)];
  if (!specEqual(have.annotations.labels, wanted.annotations.labels)) return ['labels', show(have.annotations.labels), show(wanted.annotations.labels)];
  // A subnet the files leave out is the allocator's choice: any is right.
  const w = wanted.ipam[0];
  if (!w?.subnet) return undefined;
  const subnet = have.ipam[0]?.subnet ?? network.allocation?.subnet ?? '';
  if (subnet !== w.subnet) return ['subnet', show(subnet), w.subnet];
  const gateway = have.ipam[0]?.gateway ?? network.allocation?.gateway ?? '';
  if (w.gateway && gateway !== w.gateway) return ['gateway', show(gateway), w.gateway];
  return undefined;
}

/**
 * What `stack deploy` does to the stack's networks, decided before anything is changed: external
 * networks must exist; a network that exists with the same spec is used as it is (networks
 * cannot be updated), one that differs is an error that names the field; the rest are created.
 */
export function computeNetworkPlan(stack: string, desired: readonly NetworkSpec[], external: readonly string[], existing: readonly Network[]): NetworkAction[] {
  const find = (ref: string) => existing.find((n) => n.spec.annotations.name === ref) ?? existing.find((n) => n.id === ref);
  for (const name of external) {
    if (!find(name)) throw invalidArgument(`network ${name} declared as external, but could not be found`);
  }
  return desired.map((spec) => {
    const name = spec.annotations.name;
    const network = find(name);
    if (!network) return { kind: 'create', name, spec };
    const diff = networkDifference(network, spec);
    if (diff) {
      throw invalidArgument(
        `network ${name} exists with a different ${diff[0]} (${diff[1]}; the compose file says ${diff[2]}): networks cannot be updated, remove it first (shoal stack rm ${stack}, or shoal network rm ${name})`,
      );
    }
    return { kind: 'exists', name, network };
  });
}
