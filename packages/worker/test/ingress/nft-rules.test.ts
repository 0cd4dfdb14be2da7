import { describe, expect, it } from 'vitest';
import { changedPortKeys, meshState, nftDelta, nftRules, parseNftTable } from '@shoal/worker';
import { entry, manyPorts, table } from './fixtures.js';

const state = (t: ReturnType<typeof table>, mode: 'preserved' | 'snat' = 'preserved') => meshState(t, mode).state;

const PICKS = [1, 2, 3, 4, 5, 6, 7, 8]
  .map((n) => `\n\tchain pick-${n} {\n\t\tmeta mark set meta mark | 0x00004000\n\t\tdnat ip to meta l4proto . th dport . numgen random mod ${n} map @backends\n\t}\n`)
  .join('');

/** As `nft list table ip shoal_ingress` printed it on this kernel (nftables 1.0.6). */
const LISTED = `table ip shoal_ingress {
	map ports {
		type inet_proto . inet_service : verdict
		elements = { udp . 53 : goto pick-1,
			     tcp . 8080 : goto pick-2 }
	}

	map backends {
		typeof meta l4proto . th dport . numgen random mod 2 : ip daddr . th dport
		elements = { udp . 53 . 0 : 10.0.0.7 . 5353,
			     tcp . 8080 . 0 : 10.0.0.5 . 80,
			     tcp . 8080 . 1 : 10.0.0.6 . 80 }
	}

	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local meta l4proto . th dport vmap @ports
	}

	chain output {
		type nat hook output priority -100; policy accept;
		fib daddr type local meta l4proto . th dport vmap @ports
	}

	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr 127.0.0.0/8 meta mark & 0x00004000 == 0x00004000 snat to 10.0.0.2
	}

${PICKS}}
`;

describe('nftables rules', () => {
  const two = state(table([entry(8080, ['10.0.0.5', '10.0.0.6']), entry(53, ['10.0.0.7'], 'udp', 5353)]));

  it('writes the whole table in one transaction onto a host without it', () => {
    expect(nftDelta(parseNftTable(''), nftRules(two))).toBe(`table ip shoal_ingress
delete table ip shoal_ingress
table ip shoal_ingress {
	map ports { type inet_proto . inet_service : verdict; elements = { tcp . 8080 : goto pick-2, udp . 53 : goto pick-1 } }
	map backends { typeof meta l4proto . th dport . numgen random mod 2 : ip daddr . th dport; elements = { tcp . 8080 . 0 : 10.0.0.5 . 80, tcp . 8080 . 1 : 10.0.0.6 . 80, udp . 53 . 0 : 10.0.0.7 . 5353 } }
	chain prerouting { type nat hook prerouting priority dstnat; policy accept; fib daddr type local meta l4proto . th dport vmap @ports; }
	chain output { type nat hook output priority -100; policy accept; fib daddr type local meta l4proto . th dport vmap @ports; }
	chain postrouting { type nat hook postrouting priority srcnat; policy accept; ip saddr 127.0.0.0/8 meta mark & 0x00004000 == 0x00004000 snat to 10.0.0.2; }
${[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `\tchain pick-${n} { meta mark set meta mark | 0x00004000; dnat ip to meta l4proto . th dport . numgen random mod ${n} map @backends; }\n`).join('')}}
`);
  });

  it('reads the kernel listing back as exactly what it renders: nothing to do', () => {
    expect(nftDelta(parseNftTable(LISTED), nftRules(two))).toBe('');
  });

  it('costs O(change): a backend added to one of 10,000 services is a few map elements', () => {
    const ports = manyPorts(10_000);
    const before = state(table(ports));
    const after = state(table(ports.map((p, i) => (i === 7 ? entry(p.publishedPort, [p.backends[0]!.ip, '10.9.9.9']) : p))));
    const keys = changedPortKeys(before, after);
    expect(nftDelta(nftRules(before, keys), nftRules(after, keys))).toBe(`delete element ip shoal_ingress ports { tcp . 20007 : goto pick-1 }
add element ip shoal_ingress backends { tcp . 20007 . 1 : 10.9.9.9 . 80 }
add element ip shoal_ingress ports { tcp . 20007 : goto pick-2 }
`);
    const third = state(table(ports.map((p, i) => (i === 7 ? entry(p.publishedPort, [p.backends[0]!.ip, '10.9.9.9']) : i === 8 ? entry(p.publishedPort, [p.backends[0]!.ip, '10.9.9.8']) : p))));
    const more = changedPortKeys(after, third);
    expect(nftDelta(nftRules(after, more), nftRules(third, more))).toBe(`delete element ip shoal_ingress ports { tcp . 20008 : goto pick-1 }
add element ip shoal_ingress backends { tcp . 20008 . 1 : 10.9.9.8 . 80 }
add element ip shoal_ingress ports { tcp . 20008 : goto pick-2 }
`);
  });

  it('adds a port as elements and removes one as elements, pick chains untouched', () => {
    const after = state(table([entry(8080, ['10.0.0.5', '10.0.0.6']), entry(9000, ['10.0.0.6', '10.0.0.8'])]));
    const keys = changedPortKeys(two, after);
    expect(nftDelta(nftRules(two, keys), nftRules(after, keys))).toBe(`delete element ip shoal_ingress ports { udp . 53 : goto pick-1 }
delete element ip shoal_ingress backends { udp . 53 . 0 : 10.0.0.7 . 5353 }
add element ip shoal_ingress backends { tcp . 9000 . 0 : 10.0.0.6 . 80, tcp . 9000 . 1 : 10.0.0.8 . 80 }
add element ip shoal_ingress ports { tcp . 9000 : goto pick-2 }
`);
  });

  it('after a crash, fixes stale and missing elements; rewrites the table when a base chain is foreign', () => {
    const crashed = LISTED.replace('udp . 53 : goto pick-1,\n\t\t\t     ', '').replace('tcp . 8080 . 1 : 10.0.0.6 . 80', 'tcp . 8080 . 1 : 10.0.0.9 . 80');
    expect(nftDelta(parseNftTable(crashed), nftRules(two))).toBe(`delete element ip shoal_ingress backends { tcp . 8080 . 1 : 10.0.0.9 . 80 }
add element ip shoal_ingress backends { tcp . 8080 . 1 : 10.0.0.6 . 80 }
add element ip shoal_ingress ports { udp . 53 : goto pick-1 }
`);
    const whole = ['table ip shoal_ingress', 'delete table ip shoal_ingress', 'table ip shoal_ingress {'];
    const foreign = LISTED.replace('priority dstnat', 'priority -300');
    expect(nftDelta(parseNftTable(foreign), nftRules(two)).split('\n').slice(0, 3)).toEqual(whole);
    // nft cannot add a rule that looks up the typeof map it read back: a pick chain is only written with the table.
    const noPick3 = LISTED.replace('mod 3 map', 'mod 30 map');
    expect(nftDelta(parseNftTable(noPick3), nftRules(two)).split('\n').slice(0, 3)).toEqual(whole);
    const nine = state(table([entry(8080, ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.7', '10.0.0.8', '10.0.0.9'])]));
    expect(nftDelta(parseNftTable(LISTED), nftRules(nine)).split('\n').slice(0, 3)).toEqual(whole);
  });

  it('in snat mode SNATs what leaves through the ingress bridge; a mode change patches postrouting only', () => {
    const snat = state(table([entry(8080, ['10.0.0.5', '10.0.0.6']), entry(53, ['10.0.0.7'], 'udp', 5353)]), 'snat');
    expect(nftDelta(parseNftTable(LISTED), nftRules(snat))).toBe(`flush chain ip shoal_ingress postrouting
add rule ip shoal_ingress postrouting ip saddr 127.0.0.0/8 meta mark & 0x00004000 == 0x00004000 snat to 10.0.0.2
add rule ip shoal_ingress postrouting oifname "shb-ingress012" meta mark & 0x00004000 == 0x00004000 snat to 10.0.0.2
`);
  });

  it('with the mesh off, deletes the table', () => {
    expect(nftDelta(parseNftTable(LISTED), nftRules(undefined))).toBe('table ip shoal_ingress\ndelete table ip shoal_ingress\n');
    expect(nftDelta(parseNftTable(''), nftRules(undefined))).toBe('');
  });
});
