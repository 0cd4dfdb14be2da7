import { randomFillSync } from 'node:crypto';
import type { Rng } from '@shoal/common';

/** Draws taken from one refill of the buffer (4 bytes each). */
export const RNG_DRAWS_PER_FILL = 1024;

/**
 * The system's randomness, drawn from a buffer refilled `RNG_DRAWS_PER_FILL` draws at a time: a
 * new ID takes 25 draws, and one call into the kernel's generator per draw made ID generation a
 * hot spot of the leader when it creates 100,000 tasks. `fill` is injectable for tests.
 */
export function bufferedRng(fill: (buf: Uint8Array) => void = (buf) => void randomFillSync(buf)): Rng {
  const buf = new Uint8Array(4 * RNG_DRAWS_PER_FILL);
  const view = new DataView(buf.buffer);
  let at = buf.length;
  return {
    next: () => {
      if (at >= buf.length) {
        fill(buf);
        at = 0;
      }
      const v = view.getUint32(at) / 2 ** 32;
      at += 4;
      return v;
    },
  };
}
