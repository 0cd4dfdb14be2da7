import { stringify } from 'yaml';
import type { ComposeProject } from './types.js';

const nonEmpty = (o: Record<string, unknown>) => Object.keys(o).length > 0;

function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
}

/** Escapes `$` as `$$` so the printed file interpolates back to the same values. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]));
  return value;
}

/**
 * What `shoal stack config` prints: the merged, interpolated project as YAML, like
 * `docker stack config`. Strings that YAML 1.1 would read as another type are quoted, and `$` is
 * written `$$` so the output is itself a valid compose file.
 */
export function renderConfig(project: ComposeProject): string {
  const out: Record<string, unknown> = {};
  if (project.version !== undefined) out.version = project.version;
  if (project.name !== undefined) out.name = project.name;
  out.services = sortedKeys(project.services);
  const sections = { networks: project.networks, volumes: project.volumes, secrets: project.secrets, configs: project.configs };
  for (const [key, value] of Object.entries(sections)) if (nonEmpty(value)) out[key] = sortedKeys(value);
  Object.assign(out, project.extensions);
  return stringify(escapeDollars(out), { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}
