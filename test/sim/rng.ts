/** Small helpers over the seeded random streams of a run. */
import type { Rng } from '@shoal/common';

/** A seed for a child stream, drawn from `rng`. */
export function childSeed(rng: Rng): number {
  return Math.floor(rng.next() * 0x1_0000_0000);
}

/** A uniform integer in [lo, hi]. */
export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo + 1));
}

export function pick<T>(rng: Rng, xs: readonly T[]): T {
  const x = xs[Math.floor(rng.next() * xs.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
}
