import { describe, expect, it } from 'vitest';
import { changedPortKeys, iptablesDelta, iptablesRules, meshState, parseSaved, probability, type IptablesRules } from '@shoal/worker';
import { entry, manyPorts, table } from './fixtures.js';

const state = (t: ReturnType<typeof table>, mode: 'preserved' | 'snat' = 'preserved') => meshState(t, mode).state;
const saved = (r: IptablesRules): string => {
  const section = (name: string, t: IptablesRules['nat']) => [
    `*${name}`,
    ...[...t.chains.keys()].map((c) => `:${c} - [0:0]`),
    ...t.jumps.map((j) => `-A ${j}`),
    ...[...t.chains].flatMap(([c, lines]) => lines.map((l) => `-A ${c} ${l}`)),
    'COMMIT',
  ];
  return [...section('filter', r.filter), ...section('nat', r.nat)].join('\n') + '\n';
};
const observed = (text: string): IptablesRules => ({ nat: parseSaved(text, 'nat'), filter: parseSaved(text, 'filter') });

describe('iptables rules', () => {
  it('programs a port onto a fresh host in one restore: chains, dispatch, spread, SNAT for loopback, jumps', () => {
    const want = iptablesRules(state(table([entry(8080, ['10.0.0.5', '10.0.0.6', '10.0.0.7'])])));
    expect(iptablesDelta(observed(''), want)).toBe(`*nat
:SHOAL-INGRESS - [0:0]
:SHOAL-POSTROUTING - [0:0]
:SHOAL-SVC-8080-tcp - [0:0]
-A SHOAL-INGRESS -p tcp -m tcp --dport 8080 -j SHOAL-SVC-8080-tcp
-A SHOAL-POSTROUTING -s 127.0.0.0/8 -m mark --mark 0x4000/0x4000 -j SNAT --to-source 10.0.0.2
-A SHOAL-SVC-8080-tcp -j MARK --set-xmark 0x4000/0x4000
-A SHOAL-SVC-8080-tcp -p tcp -m statistic --mode random --probability 0.33333333349 -j DNAT --to-destination 10.0.0.5:80
-A SHOAL-SVC-8080-tcp -p tcp -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.0.0.6:80
-A SHOAL-SVC-8080-tcp -p tcp -j DNAT --to-destination 10.0.0.7:80
-I PREROUTING 1 -m addrtype --dst-type LOCAL -j SHOAL-INGRESS
-I OUTPUT 1 -m addrtype --dst-type LOCAL -j SHOAL-INGRESS
-I POSTROUTING 1 -j SHOAL-POSTROUTING
COMMIT
*filter
:SHOAL-FORWARD - [0:0]
-A SHOAL-FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT
-A SHOAL-FORWARD -m conntrack --ctstate DNAT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-I FORWARD 1 -j SHOAL-FORWARD
COMMIT
`);
  });

  it('prints probabilities as iptables-save does (u32 of 2^31)', () => {
    expect([probability(0, 3), probability(1, 3), probability(0, 7)]).toEqual(['0.33333333349', '0.50000000000', '0.14285714272']);
  });

  it('in snat mode also SNATs every marked connection leaving through the ingress bridge', () => {
    const nat = iptablesRules(state(table([entry(8080, ['10.0.0.5'])]), 'snat')).nat;
    expect(nat.chains.get('SHOAL-POSTROUTING')).toEqual([
      '-s 127.0.0.0/8 -m mark --mark 0x4000/0x4000 -j SNAT --to-source 10.0.0.2',
      '-o shb-ingress012 -m mark --mark 0x4000/0x4000 -j SNAT --to-source 10.0.0.2',
    ]);
  });

  it('reads back what it wrote as no change at all', () => {
    const want = iptablesRules(state(table([entry(8080, ['10.0.0.5', '10.0.0.6']), entry(53, ['10.0.0.7'], 'udp')])));
    expect(iptablesDelta(observed(saved(want)), want)).toBe('');
  });

  it('costs O(change): one backend added to one of 10,000 services is one chain rewritten', () => {
    const ports = manyPorts(10_000);
    const before = state(table(ports));
    const after = state(table(ports.map((p, i) => (i === 4242 ? entry(p.publishedPort, [p.backends[0]!.ip, '10.9.9.9']) : p))));
    const keys = changedPortKeys(before, after);
    expect(keys).toEqual(['tcp/24242']);
    expect(iptablesDelta(iptablesRules(before, keys), iptablesRules(after, keys))).toBe(`*nat
:SHOAL-SVC-24242-tcp - [0:0]
-A SHOAL-SVC-24242-tcp -j MARK --set-xmark 0x4000/0x4000
-A SHOAL-SVC-24242-tcp -p tcp -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.0.17.146:80
-A SHOAL-SVC-24242-tcp -p tcp -j DNAT --to-destination 10.9.9.9:80
COMMIT
`);
  });

  it('adds and removes a port by patching the dispatch chain, never rewriting it', () => {
    const before = state(table([entry(8080, ['10.0.0.5']), entry(9000, ['10.0.0.6'])]));
    const after = state(table([entry(8080, ['10.0.0.5']), entry(9001, ['10.0.0.7'])]));
    const keys = changedPortKeys(before, after);
    expect(iptablesDelta(iptablesRules(before, keys), iptablesRules(after, keys))).toBe(`*nat
:SHOAL-SVC-9001-tcp - [0:0]
-A SHOAL-SVC-9001-tcp -j MARK --set-xmark 0x4000/0x4000
-A SHOAL-SVC-9001-tcp -p tcp -j DNAT --to-destination 10.0.0.7:80
-D SHOAL-INGRESS -p tcp -m tcp --dport 9000 -j SHOAL-SVC-9000-tcp
-A SHOAL-INGRESS -p tcp -m tcp --dport 9001 -j SHOAL-SVC-9001-tcp
-F SHOAL-SVC-9000-tcp
-X SHOAL-SVC-9000-tcp
COMMIT
`);
  });

  it('after a crash, fixes what it reads: stale chains, a stale dispatch rule, a changed chain, a duplicate jump', () => {
    const left = `*nat
:PREROUTING ACCEPT [0:0]
:SHOAL-INGRESS - [0:0]
:SHOAL-POSTROUTING - [0:0]
:SHOAL-SVC-7000-tcp - [0:0]
:SHOAL-SVC-8080-tcp - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j SHOAL-INGRESS
-A PREROUTING -m addrtype --dst-type LOCAL -j SHOAL-INGRESS
-A PREROUTING -j DOCKER
-A OUTPUT -m addrtype --dst-type LOCAL -j SHOAL-INGRESS
-A POSTROUTING -j SHOAL-POSTROUTING
-A SHOAL-INGRESS -p tcp -m tcp --dport 7000 -j SHOAL-SVC-7000-tcp
-A SHOAL-INGRESS -p tcp -m tcp --dport 8080 -j SHOAL-SVC-8080-tcp
-A SHOAL-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
-A SHOAL-SVC-7000-tcp -p tcp -j DNAT --to-destination 10.0.0.9:80
-A SHOAL-SVC-8080-tcp -j MARK --set-xmark 0x4000/0x4000
-A SHOAL-SVC-8080-tcp -p tcp -j DNAT --to-destination 10.0.0.9:80
COMMIT
*filter
:SHOAL-FORWARD - [0:0]
-A FORWARD -j SHOAL-FORWARD
-A SHOAL-FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT
-A SHOAL-FORWARD -m conntrack --ctstate DNAT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
`;
    const want = iptablesRules(state(table([entry(8080, ['10.0.0.5'])])));
    expect(iptablesDelta(observed(left), want)).toBe(`*nat
:SHOAL-POSTROUTING - [0:0]
:SHOAL-SVC-8080-tcp - [0:0]
-A SHOAL-POSTROUTING -s 127.0.0.0/8 -m mark --mark 0x4000/0x4000 -j SNAT --to-source 10.0.0.2
-A SHOAL-SVC-8080-tcp -j MARK --set-xmark 0x4000/0x4000
-A SHOAL-SVC-8080-tcp -p tcp -j DNAT --to-destination 10.0.0.5:80
-D SHOAL-INGRESS -p tcp -m tcp --dport 7000 -j SHOAL-SVC-7000-tcp
-D PREROUTING -m addrtype --dst-type LOCAL -j SHOAL-INGRESS
-F SHOAL-SVC-7000-tcp
-X SHOAL-SVC-7000-tcp
COMMIT
`);
  });

  it('with the mesh off, removes every jump and chain', () => {
    const had = iptablesRules(state(table([entry(8080, ['10.0.0.5'])])));
    expect(iptablesDelta(observed(saved(had)), iptablesRules(undefined))).toBe(`*nat
-D PREROUTING -m addrtype --dst-type LOCAL -j SHOAL-INGRESS
-D OUTPUT -m addrtype --dst-type LOCAL -j SHOAL-INGRESS
-D POSTROUTING -j SHOAL-POSTROUTING
-F SHOAL-INGRESS
-F SHOAL-POSTROUTING
-F SHOAL-SVC-8080-tcp
-X SHOAL-INGRESS
-X SHOAL-POSTROUTING
-X SHOAL-SVC-8080-tcp
COMMIT
*filter
-D FORWARD -j SHOAL-FORWARD
-F SHOAL-FORWARD
-X SHOAL-FORWARD
COMMIT
`);
  });
});
