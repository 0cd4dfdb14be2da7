import { invalidArgument, type NetworkAttachment } from '@shoal/common';
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

/** The networks the stack must create: those its services use, less external ones. */
export function stackNetworks(project: ComposeProject, stack: string): string[] {
  const keys = new Set(Object.values(project.services).flatMap((s) => Object.keys(serviceNetworkMap(s))));
  return [...keys]
    .filter((k) => !isExternal(project, k))
    .map((k) => objectName(stack, k, project.networks[k]))
    .sort();
}
