import { expect } from 'vitest';
import type { Entry } from '../src/index.js';
import type { Network } from './network.js';

const key = (e: Entry): string => `${e.index}/${e.term}/${String(e.data)}`;

/** Every node's applied sequence is a prefix of the longest one. */
export function checkPrefixes(net: Network): void {
  const seqs = [...net.members.values()].map((m) => m.applied);
  const longest = seqs.reduce<Entry[]>((a, b) => (b.length > a.length ? b : a), []);
  for (const s of seqs) {
    const bad = s.findIndex((e, i) => key(e) !== key(longest[i]!));
    if (bad >= 0) expect.fail(`applied entries diverge at position ${bad}: ${key(s[bad]!)} vs ${key(longest[bad]!)}`);
  }
}
