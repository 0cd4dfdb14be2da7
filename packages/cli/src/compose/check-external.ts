import { invalidArgument } from '@shoal/common';

type Obj = Record<string, unknown>;

/** What an external volume may say besides `external`: the rest belongs to whoever created it. */
const EXTERNAL_KEEPS = new Set(['external', 'name']);

const isExternal = (def: Obj): boolean => def.external === true || (def.external !== null && typeof def.external === 'object');

/**
 * An external volume or network exists already, so a `driver` (or options, labels, IPAM) for it
 * cannot be honoured: refuse it, as Docker does ("conflicting parameters"), rather than silently
 * using a network or volume that is not what the file describes.
 */
export function checkExternalConflicts(file: string, doc: Obj): void {
  for (const kind of ['volumes', 'networks'] as const) {
    const section = doc[kind];
    if (section === null || typeof section !== 'object') continue;
    for (const [name, def] of Object.entries(section as Obj)) {
      if (def === null || typeof def !== 'object' || !isExternal(def as Obj)) continue;
      const extra = Object.keys(def).find((k) => !EXTERNAL_KEEPS.has(k) && !k.startsWith('x-'));
      if (extra) throw invalidArgument(`${file}: ${kind}.${name}: conflicting parameters "external" and "${extra}" specified for ${kind === 'volumes' ? 'volume' : 'network'} "${name}"`);
    }
  }
}
