import { describe, expect, it } from 'vitest';
import { newId } from '@shoal/common';
import { RNG_DRAWS_PER_FILL, bufferedRng } from '../src/buffered-rng.js';

describe('bufferedRng', () => {
  it('calls into the system generator once per RNG_DRAWS_PER_FILL draws, not once per draw', () => {
    let fills = 0;
    const rng = bufferedRng((buf) => {
      fills++;
      for (let i = 0; i < buf.length; i++) buf[i] = (i * 31 + fills) & 0xff;
    });
    for (let i = 0; i < 2 * RNG_DRAWS_PER_FILL; i++) rng.next();
    expect(fills).toBe(2);
    rng.next();
    expect(fills).toBe(3);
  });

  it('draws in [0, 1) from the bytes it was given, big-endian', () => {
    const rng = bufferedRng((buf) => {
      buf.fill(0);
      buf.set([0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    });
    expect(rng.next()).toBe(0.5);
    expect(rng.next()).toBeLessThan(1);
    expect(rng.next()).toBe(0);
  });

  it('makes distinct IDs from the system generator', () => {
    const rng = bufferedRng();
    const ids = new Set(Array.from({ length: 2_000 }, () => newId(rng)));
    expect(ids.size).toBe(2_000);
  });
});
