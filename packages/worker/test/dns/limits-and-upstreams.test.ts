import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/dns/rate-limiter.js';
import { parseUpstream, resolvConfNameservers, upstreamText } from '../../src/dns/upstreams.js';
import { FrameReader, frame } from '../../src/dns/io/tcp-frames.js';
import { normalizeName, parseSubnet, reverseAddress } from '../../src/dns/dns-names.js';

describe('RateLimiter', () => {
  it('allows a burst, then perSecond, per source', () => {
    const rl = new RateLimiter({ perSecond: 10, burst: 3, maxSources: 8 });
    expect([1, 2, 3, 4].map(() => rl.allow('a', 0))).toEqual([true, true, true, false]);
    expect(rl.allow('b', 0)).toBe(true);
    expect(rl.allow('a', 50)).toBe(false);
    expect(rl.allow('a', 100)).toBe(true);
    expect(rl.allow('a', 100)).toBe(false);
    expect(rl.allow('a', 10_000)).toBe(true);
  });

  it('remembers at most maxSources sources, forgetting the oldest', () => {
    const rl = new RateLimiter({ perSecond: 1, burst: 1, maxSources: 2 });
    expect(rl.allow('a', 0)).toBe(true);
    expect(rl.allow('b', 0)).toBe(true);
    expect(rl.allow('c', 0)).toBe(true);
    expect(rl.sources).toBe(2);
    // a was forgotten: it starts with a full bucket again.
    expect(rl.allow('a', 0)).toBe(true);
    expect(rl.allow('c', 0)).toBe(false);
  });
});

describe('upstreams', () => {
  it('parses addresses with and without a port', () => {
    expect(parseUpstream('1.1.1.1', isIP)).toEqual({ host: '1.1.1.1', port: 53 });
    expect(parseUpstream('127.0.0.1:5353', isIP)).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseUpstream('::1', isIP)).toEqual({ host: '::1', port: 53 });
    expect(parseUpstream('[fd00::1]:54', isIP)).toEqual({ host: 'fd00::1', port: 54 });
    for (const bad of ['dns.example', '1.1.1.1:0', '1.1.1.1:70000', '', '1.1.1:53']) expect(parseUpstream(bad, isIP)).toBeUndefined();
    expect(upstreamText({ host: 'fd00::1', port: 53 })).toBe('[fd00::1]:53');
  });

  it("reads resolv.conf's nameservers (at most 3, loopback ones kept)", () => {
    const text = '# generated\nsearch example.com\nnameserver 127.0.0.53\nnameserver   10.0.0.2 \nnameserver bogus\noptions edns0\nnameserver fe80::1%eth0\nnameserver 9.9.9.9\n';
    expect(resolvConfNameservers(text, isIP).map((u) => u.host)).toEqual(['127.0.0.53', '10.0.0.2', 'fe80::1%eth0']);
    expect(resolvConfNameservers('', isIP)).toEqual([]);
  });
});

describe('names', () => {
  it('normalizes, parses subnets and reverse names', () => {
    expect(normalizeName('Tasks.Redis.')).toBe('tasks.redis');
    expect(parseSubnet('10.0.1.7/24')).toEqual({ base: 0x0a000100, mask: 0xffffff00 });
    expect(parseSubnet('10.0.1.0/33')).toBeUndefined();
    expect(reverseAddress('7.1.0.10.in-addr.arpa')).toBe('10.0.1.7');
    expect(reverseAddress('1.0.10.in-addr.arpa')).toBeUndefined();
    expect(reverseAddress('300.1.0.10.in-addr.arpa')).toBeUndefined();
  });
});

describe('FrameReader', () => {
  it('reassembles messages split and joined across chunks', () => {
    const a = Buffer.from('hello');
    const b = Buffer.from('dns');
    const wire = Buffer.concat([frame(a), frame(b)]);
    const r = new FrameReader();
    expect(r.push(wire.subarray(0, 1))).toEqual([]);
    expect(r.push(wire.subarray(1, 9)).map(String)).toEqual(['hello']);
    expect(r.push(wire.subarray(9)).map(String)).toEqual(['dns']);
    expect(r.pendingBytes).toBe(0);
  });
});
