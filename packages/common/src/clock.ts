/** Time is injected so that cores and simulations never read the wall clock themselves. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Randomness is injected so that simulations replay from a seed. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
}

/** A small deterministic generator (mulberry32) for tests and simulations. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

export function randomInt(rng: Rng, maxExclusive: number): number {
  return Math.floor(rng.next() * maxExclusive);
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A 25-character identifier like Docker's object IDs. */
export function newId(rng: Rng): string {
  let id = '';
  for (let i = 0; i < 25; i++) id += ID_ALPHABET[randomInt(rng, ID_ALPHABET.length)];
  return id;
}

export function manualClock(startMs = 0): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = startMs;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}
