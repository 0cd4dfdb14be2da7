import { describe, expect, it } from 'vitest';
import { nftVipDelta, nftVipRemoval, nftVipScript } from '../../src/vip/nft-vip.js';

describe('nftVipScript', () => {
  it('spreads a VIP evenly over its backends and sends a single backend straight to it', () => {
    const script = nftVipScript([
      { vip: '10.0.1.2', backends: ['10.0.1.9', '10.0.1.10', '10.0.1.11'] },
      { vip: '10.0.1.4', backends: ['10.0.1.20'] },
    ]);
    expect(script).toBe(
      [
        'table ip shoal_vip',
        'delete table ip shoal_vip',
        'table ip shoal_vip {',
        '\tchain SHOAL-VIP {',
        '\t\ttype nat hook output priority -100; policy accept;',
        '\t\tip daddr vmap { 10.0.1.2 : jump SHOAL-VIP-10.0.1.2, 10.0.1.4 : jump SHOAL-VIP-10.0.1.4 }',
        '\t}',
        '\tchain SHOAL-VIP-10.0.1.2 {',
        '\t\tdnat to numgen random mod 3 map { 0 : 10.0.1.9, 1 : 10.0.1.10, 2 : 10.0.1.11 }',
        '\t}',
        '\tchain SHOAL-VIP-10.0.1.4 {',
        '\t\tdnat to 10.0.1.20',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
    expect(script).not.toContain('snat');
    expect(script).not.toContain('masquerade');
    expect(script).not.toContain('dport'); // by destination address only: TCP, UDP and ICMP alike
  });

  it('refuses a VIP with no serving backend at once (reset or port unreachable), without DNAT', () => {
    const script = nftVipScript([
      { vip: '10.0.1.2', backends: ['10.0.1.9'] },
      { vip: '10.0.1.3', backends: [] },
    ]);
    expect(script).toContain('elements = { 10.0.1.3 }');
    expect(script).toContain('type filter hook output priority 0; policy accept;');
    expect(script).toContain('ip daddr @vip-dead meta l4proto tcp reject with tcp reset');
    expect(script).toContain('ip daddr @vip-dead reject\n');
    expect(script).not.toContain('SHOAL-VIP-10.0.1.3 ');
    expect(script).not.toContain('jump SHOAL-VIP-10.0.1.3');
  });

  it('leaves out the nat chain when no VIP has a backend, and the reject chain when all have', () => {
    expect(nftVipScript([{ vip: '10.0.1.3', backends: [] }])).not.toContain('type nat');
    expect(nftVipScript([{ vip: '10.0.1.2', backends: ['10.0.1.9'] }])).not.toContain('reject');
  });

  it('removes the table when a namespace has no VIP left (a backend removed from every VIP)', () => {
    expect(nftVipScript([])).toBe('table ip shoal_vip\ndelete table ip shoal_vip\n');
    expect(nftVipRemoval()).toBe(nftVipScript([]));
  });

  it('drops a removed backend from the spread', () => {
    const two = nftVipScript([{ vip: '10.0.1.2', backends: ['10.0.1.9', '10.0.1.10'] }]);
    const one = nftVipScript([{ vip: '10.0.1.2', backends: ['10.0.1.10'] }]);
    expect(two).toContain('numgen random mod 2 map { 0 : 10.0.1.9, 1 : 10.0.1.10 }');
    expect(one).toContain('dnat to 10.0.1.10\n');
    expect(one).not.toContain('10.0.1.9');
  });

  it('changes only the chains of VIPs whose backends changed, when the shape is the same', () => {
    const before = [
      { vip: '10.0.1.2', backends: ['10.0.1.9', '10.0.1.10'] },
      { vip: '10.0.1.3', backends: [] },
      { vip: '10.0.1.4', backends: ['10.0.1.20'] },
    ];
    const after = [before[0]!, before[1]!, { vip: '10.0.1.4', backends: ['10.0.1.20', '10.0.1.21'] }];
    expect(nftVipDelta(before, after)).toBe(
      'flush chain ip shoal_vip SHOAL-VIP-10.0.1.4\n' + 'add rule ip shoal_vip SHOAL-VIP-10.0.1.4 dnat to numgen random mod 2 map { 0 : 10.0.1.20, 1 : 10.0.1.21 }\n',
    );
  });

  it('asks for the whole script when a VIP comes, goes, loses its last backend or gets a first one', () => {
    const one = [{ vip: '10.0.1.2', backends: ['10.0.1.9'] }];
    expect(nftVipDelta(one, [])).toBeUndefined();
    expect(nftVipDelta(one, [{ vip: '10.0.1.2', backends: [] }])).toBeUndefined();
    expect(nftVipDelta([{ vip: '10.0.1.2', backends: [] }], one)).toBeUndefined();
    expect(nftVipDelta(one, [{ vip: '10.0.1.3', backends: ['10.0.1.9'] }])).toBeUndefined();
  });
});
