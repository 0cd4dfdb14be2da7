import { describe, expect, it } from 'vitest';
import { changedPortKeys, meshState, nftDelta, nftRules, parseNftTable } from '@shoal/worker';
import { entry, manyPorts, table } from './fixtures.js';

const state = (t: ReturnType<typeof table>, mode: 'preserved' | 'snat' = 'preserved') => meshState(t, mode).state;

/** As `nft list table ip shoal_ingress` printed it on this kernel (nftables 1.0.6). */
const LISTED = `table ip shoal_ingress {
	map ports {
		type inet_proto . inet_service : verdict
		elements = { udp . 53 : goto svc-udp-53,
			     tcp . 8080 : goto svc-tcp-8080 }
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

	chain svc-tcp-8080 {
		meta mark set meta mark | 0x00004000
		meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.0.0.5 . 80, 1 : 10.0.0.6 . 80 }
	}

	chain svc-udp-53 {
		meta mark set meta mark | 0x00004000
		meta l4proto udp dnat to 10.0.0.7:80
	}
}
`;

describe('nftables rules', () => {
  const two = state(table([entry(8080, ['10.0.0.5', '10.0.0.6']), entry(53, ['10.0.0.7'], 'udp')]));

  it('writes the whole table in one transaction onto a host without it', () => {
    expect(nftDelta(parseNftTable(''), nftRules(two))).toBe(`table ip shoal_ingress
delete table ip shoal_ingress
table ip shoal_ingress {
	map ports { type inet_proto . inet_service : verdict; elements = { tcp . 8080 : goto svc-tcp-8080, udp . 53 : goto svc-udp-53 } }
	chain prerouting { type nat hook prerouting priority dstnat; policy accept; fib daddr type local meta l4proto . th dport vmap @ports; }
	chain output { type nat hook output priority -100; policy accept; fib daddr type local meta l4proto . th dport vmap @ports; }
	chain postrouting { type nat hook postrouting priority srcnat; policy accept; ip saddr 127.0.0.0/8 meta mark & 0x00004000 == 0x00004000 snat to 10.0.0.2; }
	chain svc-tcp-8080 { meta mark set meta mark | 0x00004000; meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.0.0.5 . 80, 1 : 10.0.0.6 . 80 }; }
	chain svc-udp-53 { meta mark set meta mark | 0x00004000; meta l4proto udp dnat to 10.0.0.7:80; }
}
`);
  });

  it('reads the kernel listing back as exactly what it renders: nothing to do', () => {
    expect(nftDelta(parseNftTable(LISTED), nftRules(two))).toBe('');
  });

  it('costs O(change): a backend added to one of 10,000 services is one chain flushed and refilled', () => {
    const ports = manyPorts(10_000);
    const before = state(table(ports));
    const after = state(table(ports.map((p, i) => (i === 7 ? entry(p.publishedPort, [p.backends[0]!.ip, '10.9.9.9']) : p))));
    const keys = changedPortKeys(before, after);
    expect(nftDelta(nftRules(before, keys), nftRules(after, keys))).toBe(`flush chain ip shoal_ingress svc-tcp-20007
add rule ip shoal_ingress svc-tcp-20007 meta mark set meta mark | 0x00004000
add rule ip shoal_ingress svc-tcp-20007 meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.0.1.7 . 80, 1 : 10.9.9.9 . 80 }
`);
  });

  it('adds a port as a chain and an element, removes one as element then chain', () => {
    const after = state(table([entry(8080, ['10.0.0.5', '10.0.0.6']), entry(9000, ['10.0.0.8'])]));
    const keys = changedPortKeys(two, after);
    expect(nftDelta(nftRules(two, keys), nftRules(after, keys))).toBe(`add chain ip shoal_ingress svc-tcp-9000
add rule ip shoal_ingress svc-tcp-9000 meta mark set meta mark | 0x00004000
add rule ip shoal_ingress svc-tcp-9000 meta l4proto tcp dnat to 10.0.0.8:80
delete element ip shoal_ingress ports { udp . 53 : goto svc-udp-53 }
add element ip shoal_ingress ports { tcp . 9000 : goto svc-tcp-9000 }
delete chain ip shoal_ingress svc-udp-53
`);
  });

  it('after a crash, fixes a stale chain and a missing element; rewrites the table when a base chain is foreign', () => {
    const crashed = LISTED.replace('udp . 53 : goto svc-udp-53,\n\t\t\t     ', '');
    const want = nftRules(state(table([entry(53, ['10.0.0.7'], 'udp')])));
    expect(nftDelta(parseNftTable(crashed), want)).toBe(`delete element ip shoal_ingress ports { tcp . 8080 : goto svc-tcp-8080 }
add element ip shoal_ingress ports { udp . 53 : goto svc-udp-53 }
delete chain ip shoal_ingress svc-tcp-8080
`);
    const foreign = LISTED.replace('priority dstnat', 'priority -300');
    expect(nftDelta(parseNftTable(foreign), want).split('\n').slice(0, 3)).toEqual(['table ip shoal_ingress', 'delete table ip shoal_ingress', 'table ip shoal_ingress {']);
  });

  it('in snat mode SNATs what leaves through the ingress bridge; a mode change patches postrouting only', () => {
    const snat = state(table([entry(8080, ['10.0.0.5', '10.0.0.6']), entry(53, ['10.0.0.7'], 'udp')]), 'snat');
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
