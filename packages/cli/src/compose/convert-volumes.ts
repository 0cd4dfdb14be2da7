import { invalidArgument, type Mount } from '@shoal/common';
import { isHostPath } from './paths.js';
import type { ComposeProject, ComposeService, ComposeVolumeLong } from './types.js';
import { memoryBytes } from './units.js';

/** The name a top-level volume (or network) has in the engine: external and `name:` kept, else `STACK_key`. */
export function objectName(stack: string, key: string, def: { name?: string; external?: boolean | { name?: string } } | null | undefined): string {
  const ext = def?.external;
  if (typeof ext === 'object' && ext?.name) return ext.name;
  if (def?.name) return def.name;
  if (ext) return key;
  return `${stack}_${key}`;
}

function volumeSource(project: ComposeProject, stack: string, source: string, path: string): string {
  if (!(source in project.volumes)) throw invalidArgument(`${path}: undefined volume "${source}"`);
  return objectName(stack, source, project.volumes[source]);
}

const MODES = new Set(['ro', 'rw', 'z', 'Z', 'nocopy', 'cached', 'delegated', 'consistent', 'rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);

/** The short syntax: `TARGET`, `SOURCE:TARGET` or `SOURCE:TARGET:MODE` (sources already resolved). */
function parseShortVolume(project: ComposeProject, stack: string, spec: string, path: string): Mount {
  const parts = spec.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) throw invalidArgument(`${path}: invalid volume "${spec}": use [SOURCE:]TARGET[:MODE]`);
  if (parts.length === 1) return { type: 'volume', source: '', target: parts[0]!, readOnly: false };
  const [source, target, mode = 'rw'] = parts as [string, string, string?];
  const modes = mode.split(',');
  const bad = modes.find((m) => !MODES.has(m));
  if (bad !== undefined) throw invalidArgument(`${path}: invalid volume mode "${bad}" in "${spec}"`);
  const readOnly = modes.includes('ro');
  if (isHostPath(source)) return { type: 'bind', source, target, readOnly };
  return { type: 'volume', source: volumeSource(project, stack, source, path), target, readOnly };
}

function parseLongVolume(project: ComposeProject, stack: string, v: ComposeVolumeLong, path: string): Mount {
  const readOnly = v.read_only ?? false;
  switch (v.type) {
    case 'bind':
      if (!v.source) throw invalidArgument(`${path}.source: is required for a bind mount`);
      return { type: 'bind', source: v.source, target: v.target, readOnly };
    case 'volume':
      return { type: 'volume', source: v.source ? volumeSource(project, stack, v.source, `${path}.source`) : '', target: v.target, readOnly };
    case 'tmpfs': {
      const size = memoryBytes(`${path}.tmpfs.size`, v.tmpfs?.size);
      return { type: 'tmpfs', source: '', target: v.target, readOnly, ...(size > 0 ? { tmpfsSizeBytes: size } : {}) };
    }
    default:
      throw invalidArgument(`${path}.type: mounts of type ${v.type} are not supported`);
  }
}

/** `tmpfs: /run` or `tmpfs: ["/run:size=64m"]` as tmpfs mounts. */
function tmpfsMounts(tmpfs: string | string[] | undefined, path: string): Mount[] {
  const list = tmpfs === undefined ? [] : Array.isArray(tmpfs) ? tmpfs : [tmpfs];
  return list.map((spec, i) => {
    const [target = '', opts = ''] = spec.split(/:(.*)/s);
    const size = /(?:^|,)size=([^,]+)/.exec(opts)?.[1];
    const bytes = memoryBytes(`${path}[${i}]`, size);
    return { type: 'tmpfs' as const, source: '', target, readOnly: false, ...(bytes > 0 ? { tmpfsSizeBytes: bytes } : {}) };
  });
}

/** A service's `volumes` and `tmpfs` as mounts. */
export function convertMounts(project: ComposeProject, stack: string, svc: ComposeService, path: string): Mount[] {
  const volumes = (svc.volumes ?? []).map((v, i) =>
    typeof v === 'string' ? parseShortVolume(project, stack, v, `${path}.volumes[${i}]`) : parseLongVolume(project, stack, v, `${path}.volumes[${i}]`),
  );
  return [...volumes, ...tmpfsMounts(svc.tmpfs, `${path}.tmpfs`)];
}
