import { invalidArgument, type NetworkAttachment, type NetworkSpec } from '@shoal/common';
import { toNetworkSpec } from './convert-network-specs.js';
import { objectName } from './convert-volumes.js';
import type { ComposeProject, ComposeService } from './types.js';

function serviceNetworkMap(svc: ComposeService): Record<string, { aliases?: string[] } | null> {
  const n = svc.networks;
  if (n === undefined || (Array.isArray(n) && n.length === 0)) return { default: null };
  return Array.isArray(n) ? Object.fromEntries(n.map((name) => [name, null])) : n;
}

export function isExternal(project: ComposeProject, key: string): boolean {
  return Boolean(project.networks[key]?.external);
}

/**
 * A service's network attachments: its `networks` (list or map with aliases), or the stack's
 * `default` network when it names none. Every attachment carries the short service name as an alias.
 */
export function convertNetworks(project: ComposeProject, stack: string, name: string, svc: ComposeService): NetworkAttachment[] {
  return Object.entries(serviceNetworkMap(svc)).map(([key, opts]) => {
    if (key !== 'default' && !(key in project.networks)) throw invalidArgument(`services.${name}.networks: undefined network "${key}"`);
    const aliases = [name, ...(opts?.aliases ?? []).filter((a) => a !== name)];
    return { target: objectName(stack, key, project.networks[key]), aliases };
  });
}

/** What a stack's networks ask of the swarm: the overlay networks to create, the external ones that must exist. */
export interface StackNetworks {
  specs: NetworkSpec[];
  external: string[];
}

/** The networks its services use (Docker creates no other): those to create, and the external ones, sorted by name. */
export function stackNetworks(project: ComposeProject, stack: string): StackNetworks {
  const keys = [...new Set(Object.values(project.services).flatMap((s) => Object.keys(serviceNetworkMap(s))))];
  const name = (k: string) => objectName(stack, k, project.networks[k]);
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const specs = keys.filter((k) => !isExternal(project, k)).map((k) => toNetworkSpec(stack, k, name(k), project.networks[k]));
  return {
    specs: specs.sort((a, b) => byName(a.annotations.name, b.annotations.name)),
    external: keys.filter((k) => isExternal(project, k)).map(name).sort(byName),
  };
}
