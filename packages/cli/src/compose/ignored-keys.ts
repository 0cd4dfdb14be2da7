import { IGNORED_SERVICE_KEYS } from './compose-schema.js';
import type { ComposeService } from './types.js';

/** Service keys shoal validates but does not act on yet (Swarm honours them). */
const NOT_YET_SERVICE_KEYS = [
  'configs',
  'secrets',
  'logging',
  'cap_add',
  'cap_drop',
  'sysctls',
  'ulimits',
  'dns',
  'dns_search',
  'extra_hosts',
  'read_only',
  'tty',
  'stdin_open',
  'isolation',
  'credential_spec',
  'group_add',
];
const NOT_YET_DEPLOY_KEYS = ['update_config', 'rollback_config'];

function present(services: Record<string, ComposeService>, keys: readonly string[], pick: (s: ComposeService) => object | null | undefined): string[] {
  return keys.filter((k) => Object.values(services).some((s) => {
    const o = pick(s);
    return o !== null && o !== undefined && k in o;
  }));
}

/**
 * Warnings about keys that have no effect: one for those Swarm ignores (Docker prints
 * "Ignoring unsupported options: build"), one for those shoal does not implement yet.
 */
export function ignoredKeyWarnings(services: Record<string, ComposeService>): string[] {
  const out: string[] = [];
  const swarmIgnored = present(services, [...IGNORED_SERVICE_KEYS, 'depends_on'], (s) => s);
  if (swarmIgnored.length > 0) out.push(`Ignoring unsupported options: ${[...new Set(swarmIgnored)].sort().join(', ')}`);
  const notYet = [
    ...present(services, NOT_YET_SERVICE_KEYS, (s) => s),
    ...present(services, NOT_YET_DEPLOY_KEYS, (s) => s.deploy).map((k) => `deploy.${k}`),
  ];
  if (notYet.length > 0) out.push(`Options not yet supported by shoal, ignored: ${notYet.sort().join(', ')}`);
  return out;
}
