import type { Mount, MountType } from '@shoal/common';
import { parseMemory } from './size.js';

function bool(v: string | undefined, spec: string): boolean {
  if (v === undefined || v === '' || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new Error(`invalid mount "${spec}": "${v}" is not a boolean`);
}

/** Docker's `--mount type=bind,source=/a,target=/b,readonly` (type defaults to volume). */
export function parseMount(spec: string): Mount {
  const out: Mount = { type: 'volume', source: '', target: '', readOnly: false };
  for (const field of spec.split(',')) {
    const eq = field.indexOf('=');
    const k = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? undefined : field.slice(eq + 1);
    switch (k) {
      case 'type':
        if (v !== 'bind' && v !== 'volume' && v !== 'tmpfs') throw new Error(`invalid mount "${spec}": type must be bind, volume or tmpfs`);
        out.type = v as MountType;
        break;
      case 'source':
      case 'src':
        out.source = v ?? '';
        break;
      case 'target':
      case 'destination':
      case 'dst':
        out.target = v ?? '';
        break;
      case 'readonly':
      case 'ro':
        out.readOnly = bool(v, spec);
        break;
      case 'tmpfs-size':
        out.tmpfsSizeBytes = parseMemory(v ?? '');
        break;
      default:
        throw new Error(`invalid mount "${spec}": unknown field "${k}"`);
    }
  }
  if (out.target === '') throw new Error(`invalid mount "${spec}": target is required`);
  if (out.type === 'bind' && out.source === '') throw new Error(`invalid mount "${spec}": source is required for a bind mount`);
  return out;
}
