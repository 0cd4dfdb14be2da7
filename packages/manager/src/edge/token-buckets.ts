import { assert, type Clock } from '@shoal/common';

export interface BucketLimits {
  /** Attempts a key may make at once (the bucket's size). */
  burst: number;
  /** One attempt comes back every this many milliseconds. */
  refillEveryMs: number;
  /** Keys remembered at most; past that the least recently used is forgotten. */
  maxKeys: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export type Take = { ok: true } | { ok: false; retryInMs: number };

/**
 * A token bucket per key (a source address), bounded in the number of keys it remembers. Time
 * comes from the clock passed in, so that tests and simulations step it.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: BucketLimits,
    private readonly clock: Clock,
  ) {
    assert(limits.burst >= 1 && limits.refillEveryMs > 0 && limits.maxKeys >= 1, 'token bucket limits must be positive');
  }

  /** Takes one token for `key`, or says how long until one is back. */
  take(key: string): Take {
    const b = this.refilled(key);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryInMs: Math.ceil((1 - b.tokens) * this.limits.refillEveryMs) };
  }

  /** Gives back a token taken for an attempt that turned out legitimate. */
  give(key: string): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.limits.burst, b.tokens + 1);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string): Bucket {
    const now = this.clock.now();
    const old = this.buckets.get(key);
    const b = old ?? { tokens: this.limits.burst, at: now };
    b.tokens = Math.min(this.limits.burst, b.tokens + Math.max(0, now - b.at) / this.limits.refillEveryMs);
    b.at = now;
    // Most recently used last: the first key is the one to forget.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (this.buckets.size > this.limits.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    assert(this.buckets.size <= this.limits.maxKeys, 'token buckets exceed their key limit');
    return b;
  }
}
