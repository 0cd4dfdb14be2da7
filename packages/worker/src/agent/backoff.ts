import type { Rng } from '@shoal/common';

/** Exponential backoff with full jitter, capped: the delay before reconnect attempt `n` (0-based). */
export function backoffMs(attempt: number, rng: Rng, baseMs = 100, capMs = 5_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (rng.next() * ceiling) / 2);
}
