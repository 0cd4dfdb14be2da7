import { describe, expect, it } from 'vitest';
import { manualClock } from '@shoal/common';
import { TokenBuckets } from '../../src/edge/token-buckets.js';
import { JoinThrottle, sourceOfPeer } from '../../src/edge/join-throttle.js';
import { LogThrottle } from '../../src/edge/log-throttle.js';

describe('token buckets', () => {
  it('allow a burst, then one per refill period, and say when the next one comes', () => {
    const clock = manualClock(0);
    const b = new TokenBuckets({ burst: 3, refillEveryMs: 1_000, maxKeys: 10 }, clock);
    expect([b.take('a'), b.take('a'), b.take('a')].every((t) => t.ok)).toBe(true);
    expect(b.take('a')).toEqual({ ok: false, retryInMs: 1_000 });
    clock.advance(400);
    expect(b.take('a')).toEqual({ ok: false, retryInMs: 600 });
    clock.advance(600);
    expect(b.take('a').ok).toBe(true);
    expect(b.take('b').ok).toBe(true); // per key
  });

  it('remember a bounded number of keys, forgetting the least recently used', () => {
    const clock = manualClock(0);
    const b = new TokenBuckets({ burst: 1, refillEveryMs: 1_000, maxKeys: 2 }, clock);
    b.take('a');
    b.take('b');
    b.take('a');
    b.take('c');
    expect(b.size).toBe(2);
    expect(b.take('a').ok).toBe(false); // still remembered
    expect(b.take('b').ok).toBe(true); // forgotten, so full again
  });

  it('take back a token given back, never above the burst', () => {
    const clock = manualClock(0);
    const b = new TokenBuckets({ burst: 1, refillEveryMs: 1_000, maxKeys: 2 }, clock);
    b.take('a');
    b.give('a');
    b.give('a');
    expect(b.take('a').ok).toBe(true);
    expect(b.take('a').ok).toBe(false);
  });
});

describe('the join throttle', () => {
  it('refuses guesses past the burst with a clear line, and does not count joins that were right', () => {
    const clock = manualClock(0);
    const t = new JoinThrottle(clock, { burst: 2, refillEveryMs: 3_000, maxKeys: 100 });
    for (let i = 0; i < 5; i++) {
      expect(t.admit('10.0.0.9').ok).toBe(true);
      t.notAGuess('10.0.0.9');
    }
    expect(t.admit('10.0.0.9').ok).toBe(true);
    expect(t.admit('10.0.0.9').ok).toBe(true);
    expect(t.admit('10.0.0.9')).toEqual({ ok: false, message: 'too many join attempts from 10.0.0.9; retry in 3s' });
    expect(t.admit('10.0.0.8').ok).toBe(true);
  });

  it('reads the source address of a gRPC peer', () => {
    expect(sourceOfPeer('ipv4:10.99.0.13:50412')).toBe('10.99.0.13');
    expect(sourceOfPeer('10.99.0.13:50412')).toBe('10.99.0.13');
    expect(sourceOfPeer('ipv6:[::1]:50412')).toBe('::1');
    expect(sourceOfPeer('[fe80::1]:4242')).toBe('fe80::1');
    expect(sourceOfPeer('unix:/run/x.sock')).toBe('unix:/run/x.sock');
  });
});

describe('the log throttle', () => {
  it('logs one line per key and interval, counting those left out', () => {
    const clock = manualClock(0);
    const l = new LogThrottle({ intervalMs: 10_000, maxKeys: 10 }, clock);
    expect(l.note('a')).toEqual({ log: true, suppressed: 0 });
    expect(l.note('a')).toEqual({ log: false });
    expect(l.note('a')).toEqual({ log: false });
    expect(l.note('b')).toEqual({ log: true, suppressed: 0 });
    clock.advance(10_000);
    expect(l.note('a')).toEqual({ log: true, suppressed: 2 });
  });
});
