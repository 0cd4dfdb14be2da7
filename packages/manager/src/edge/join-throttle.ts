import type { Clock } from '@shoal/common';
import { TokenBuckets, type BucketLimits } from './token-buckets.js';

/**
 * Join attempts per source address: 10 at once, then one every 3 s. Joins with a right token give
 * their attempt back, so a user who joins many nodes from one address is never slowed; guessing
 * tokens is (and the token's 128-bit secret makes guessing hopeless anyway).
 */
export const JOIN_LIMITS: BucketLimits = { burst: 10, refillEveryMs: 3_000, maxKeys: 10_000 };

export type Admission = { ok: true } | { ok: false; message: string };

export class JoinThrottle {
  private readonly buckets: TokenBuckets;

  constructor(clock: Clock, limits: BucketLimits = JOIN_LIMITS) {
    this.buckets = new TokenBuckets(limits, clock);
  }

  /** Before a join attempt from `source` is looked at. */
  admit(source: string): Admission {
    const t = this.buckets.take(source);
    if (t.ok) return t;
    return { ok: false, message: `too many join attempts from ${source}; retry in ${Math.max(1, Math.ceil(t.retryInMs / 1000))}s` };
  }

  /** The attempt was not a wrong guess (it joined, or failed for a reason of ours): it does not count. */
  notAGuess(source: string): void {
    this.buckets.give(source);
  }
}

/** The address part of a gRPC peer string (`ipv4:10.0.0.1:5000`, `[::1]:5000`, `10.0.0.1:5000`). */
export function sourceOfPeer(peer: string): string {
  const bare = peer.replace(/^ipv[46]:/, '');
  const v6 = /^\[([^\]]*)\](?::\d+)?$/.exec(bare);
  if (v6) return v6[1]!;
  const v4 = /^([^:]+):\d+$/.exec(bare);
  return v4 ? v4[1]! : bare;
}
