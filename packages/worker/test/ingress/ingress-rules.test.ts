import { describe, expect, it } from 'vitest';
import { ingressRules, shoalChains } from '@shoal/worker';

const FILTER = `*filter
:SHOAL-FORWARD - [0:0]
-F SHOAL-FORWARD
-A SHOAL-FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT
-A SHOAL-FORWARD -m conntrack --ctstate DNAT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
`;

describe('ingressRules', () => {
  it('renders only our empty chains for an empty table', () => {
    expect(ingressRules([])).toBe(`*nat
:SHOAL-INGRESS - [0:0]
:SHOAL-POSTROUTING - [0:0]
-F SHOAL-INGRESS
-F SHOAL-POSTROUTING
-A SHOAL-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
COMMIT
${FILTER}`);
  });

  it('renders a port with no backend as no rule at all', () => {
    expect(ingressRules([{ publishedPort: 8080, protocol: 'tcp', backends: [] }])).toBe(ingressRules([]));
  });

  it('sends a port with one backend straight to it', () => {
    expect(ingressRules([{ publishedPort: 8080, protocol: 'tcp', backends: [{ ip: '172.17.0.2', port: 80 }] }])).toBe(`*nat
:SHOAL-INGRESS - [0:0]
:SHOAL-POSTROUTING - [0:0]
:SHOAL-SVC-8080-tcp - [0:0]
-F SHOAL-INGRESS
-F SHOAL-POSTROUTING
-F SHOAL-SVC-8080-tcp
-A SHOAL-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
-A SHOAL-INGRESS -p tcp -m tcp --dport 8080 -j SHOAL-SVC-8080-tcp
-A SHOAL-SVC-8080-tcp -j MARK --set-xmark 0x4000/0x4000
-A SHOAL-SVC-8080-tcp -p tcp -j DNAT --to-destination 172.17.0.2:80
COMMIT
${FILTER}`);
  });

  it('spreads three backends evenly with 1/3, 1/2, then the rest', () => {
    const backends = [1, 2, 3].map((n) => ({ ip: `10.0.0.${n}`, port: 80 }));
    expect(ingressRules([{ publishedPort: 53, protocol: 'udp', backends }])).toBe(`*nat
:SHOAL-INGRESS - [0:0]
:SHOAL-POSTROUTING - [0:0]
:SHOAL-SVC-53-udp - [0:0]
-F SHOAL-INGRESS
-F SHOAL-POSTROUTING
-F SHOAL-SVC-53-udp
-A SHOAL-POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
-A SHOAL-INGRESS -p udp -m udp --dport 53 -j SHOAL-SVC-53-udp
-A SHOAL-SVC-53-udp -j MARK --set-xmark 0x4000/0x4000
-A SHOAL-SVC-53-udp -p udp -m statistic --mode random --probability 0.3333333333 -j DNAT --to-destination 10.0.0.1:80
-A SHOAL-SVC-53-udp -p udp -m statistic --mode random --probability 0.5000000000 -j DNAT --to-destination 10.0.0.2:80
-A SHOAL-SVC-53-udp -p udp -j DNAT --to-destination 10.0.0.3:80
COMMIT
${FILTER}`);
  });

  it('deletes the chain of a port that was removed', () => {
    const existing = ['SHOAL-INGRESS', 'SHOAL-POSTROUTING', 'SHOAL-SVC-8080-tcp', 'SHOAL-SVC-9090-tcp'];
    const out = ingressRules([{ publishedPort: 8080, protocol: 'tcp', backends: [{ ip: '10.0.0.1', port: 80 }] }], existing);
    expect(out).toContain(':SHOAL-SVC-9090-tcp - [0:0]\n');
    expect(out).toContain('-F SHOAL-SVC-9090-tcp\n');
    expect(out).toContain('-X SHOAL-SVC-9090-tcp\nCOMMIT\n');
    expect(out).not.toContain('-X SHOAL-SVC-8080-tcp');
    expect(out).not.toContain('--dport 9090');
  });

  it('reads our chains from iptables-save', () => {
    const save = '*nat\n:PREROUTING ACCEPT [0:0]\n:SHOAL-INGRESS - [0:0]\n:SHOAL-SVC-80-tcp - [0:0]\nCOMMIT\n';
    expect(shoalChains(save)).toEqual(['SHOAL-INGRESS', 'SHOAL-SVC-80-tcp']);
  });
});
