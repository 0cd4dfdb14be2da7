import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickAddress } from '../../src/allocator/addresses.js';
import { hostRange, parseAddress, parseCidr } from '../../src/allocator/ipv4.js';

/**
 * Addresses are never handed out twice, never the network, broadcast or gateway address, and an
 * address freed can be handed out again (a full subnet hands out exactly what was freed).
 */
describe('pickAddress', () => {
  it('never hands out an address twice and reuses what is freed', () => {
    const op = fc.oneof(fc.record({ kind: fc.constant('alloc' as const) }), fc.record({ kind: fc.constant('free' as const), which: fc.nat() }));
    fc.assert(
      fc.property(fc.integer({ min: 26, max: 29 }), fc.array(op, { maxLength: 300 }), (prefix, ops) => {
        const cidr = parseCidr(`10.1.2.0/${prefix}`)!;
        const space = { cidr, gateway: parseAddress('10.1.2.1')! };
        const { first, last } = hostRange(cidr);
        const capacity = last - first; // all hosts but the gateway
        const held = new Set<number>();
        let cursor: number | undefined;
        for (const o of ops) {
          if (o.kind === 'free') {
            const list = [...held];
            if (list.length > 0) held.delete(list[o.which % list.length]!);
            continue;
          }
          const a = pickAddress(space, (x) => held.has(x), cursor);
          if (held.size === capacity) {
            expect(a).toBeUndefined();
            continue;
          }
          expect(a).toBeDefined();
          expect(held.has(a!)).toBe(false);
          expect(a).not.toBe(space.gateway);
          expect(a! >= first && a! <= last).toBe(true);
          held.add(a!);
          cursor = a;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('goes on after the last address handed out before it reuses a freed one', () => {
    const space = { cidr: parseCidr('10.1.2.0/24')!, gateway: parseAddress('10.1.2.1')! };
    const held = new Set([parseAddress('10.1.2.3')!]);
    // 10.1.2.2 is free, but the last one handed out was .3: .4 comes next.
    expect(pickAddress(space, (a) => held.has(a), parseAddress('10.1.2.3'))).toBe(parseAddress('10.1.2.4'));
    expect(pickAddress(space, (a) => held.has(a))).toBe(parseAddress('10.1.2.2'));
    // Wraps round at the end of the subnet.
    expect(pickAddress(space, (a) => held.has(a), parseAddress('10.1.2.254'))).toBe(parseAddress('10.1.2.2'));
  });
});
