/**
 * Queries per second per source address: a token bucket per source, time passed in. It remembers
 * at most `maxSources` sources (the oldest seen is forgotten first), so a flood of spoofed
 * addresses costs bounded memory.
 */
export interface RateLimits {
  /** Sustained queries per second a source may send. */
  perSecond: number;
  /** Queries a source may send at once after a quiet time. */
  burst: number;
  maxSources: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perSecond: 500, burst: 1000, maxSources: 4096 };

interface Bucket {
  tokens: number;
  atMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limits: RateLimits = DEFAULT_RATE_LIMITS) {
    if (limits.perSecond <= 0 || limits.burst < 1 || limits.maxSources < 1) throw new Error('rate limits must be positive');
  }

  /** Takes one token from `source`'s bucket; false when it has none left. */
  allow(source: string, nowMs: number): boolean {
    let bucket = this.buckets.get(source);
    if (!bucket) {
      if (this.buckets.size >= this.limits.maxSources) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: this.limits.burst, atMs: nowMs };
      this.buckets.set(source, bucket);
    }
    const elapsedMs = Math.max(0, nowMs - bucket.atMs);
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + (elapsedMs * this.limits.perSecond) / 1000);
    bucket.atMs = nowMs;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get sources(): number {
    return this.buckets.size;
  }
}
