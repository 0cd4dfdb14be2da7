import { describe, expect, it } from 'vitest';
import { changedPortKeys, fwmarkFor, ipvsDelta, ipvsRules, isShoalMark, meshState, parseIpvsSave, tableDelta } from '@shoal/worker';
import { entry, table } from './fixtures.js';

const state = (t: ReturnType<typeof table>, mode: 'preserved' | 'snat' = 'preserved') => meshState(t, mode).state;
const empty = { chains: new Map<string, string[]>(), jumps: [] as string[] };

describe('ipvs rules', () => {
  const s = state(table([entry(8080, ['10.0.0.5', '10.0.0.6']), entry(53, ['10.0.0.7'], 'udp', 5353)]), 'snat');

  it('gives each published port its own fwmark, recognisable as shoal’s', () => {
    expect(fwmarkFor({ protocol: 'tcp', publishedPort: 8080 })).toBe(0x10001f90);
    expect(fwmarkFor({ protocol: 'udp', publishedPort: 53 })).toBe(0x10010035);
    expect([isShoalMark(0x10001f90), isShoalMark(0x10010035), isShoalMark(1), isShoalMark(0x20001f90)]).toEqual([true, true, false, false]);
  });

  it('renders virtual services with masquerading real servers, as ipvsadm-restore input', () => {
    expect(ipvsDelta(new Map(), ipvsRules(s).services)).toBe(`-A -f 268443536 -s rr
-a -f 268443536 -r 10.0.0.5:80 -m -w 1
-a -f 268443536 -r 10.0.0.6:80 -m -w 1
-A -f 268501045 -s rr
-a -f 268501045 -r 10.0.0.7:5353 -m -w 1
`);
  });

  it('marks ports in mangle and SNATs IPVS connections of loopback clients (and all in snat mode)', () => {
    const r = ipvsRules(s);
    expect(tableDelta('mangle', empty, r.mangle)).toEqual([
      '*mangle',
      ':SHOAL-IPVS-MARK - [0:0]',
      '-A SHOAL-IPVS-MARK -p tcp -m tcp --dport 8080 -j MARK --set-xmark 0x10001f90/0xffffffff',
      '-A SHOAL-IPVS-MARK -p udp -m udp --dport 53 -j MARK --set-xmark 0x10010035/0xffffffff',
      '-I PREROUTING 1 -m addrtype --dst-type LOCAL -j SHOAL-IPVS-MARK',
      '-I OUTPUT 1 -m addrtype --dst-type LOCAL -j SHOAL-IPVS-MARK',
      'COMMIT',
    ]);
    expect(r.nat.chains.get('SHOAL-POSTROUTING')).toEqual([
      '-s 127.0.0.0/8 -m ipvs --vdir ORIGINAL --vmethod MASQ -j SNAT --to-source 10.0.0.2',
      '-o shb-ingress012 -m ipvs --vdir ORIGINAL --vmethod MASQ -j SNAT --to-source 10.0.0.2',
    ]);
  });

  it('a change is real servers added and deleted; a port gone is its service deleted', () => {
    const after = state(table([entry(8080, ['10.0.0.6', '10.0.0.9'])]), 'snat');
    const keys = changedPortKeys(s, after);
    expect(ipvsDelta(ipvsRules(s, keys).services, ipvsRules(after, keys).services)).toBe(`-d -f 268443536 -r 10.0.0.5:80
-a -f 268443536 -r 10.0.0.9:80 -m -w 1
-D -f 268501045
`);
    expect(tableDelta('mangle', ipvsRules(s, keys).mangle, ipvsRules(after, keys).mangle)).toEqual([
      '*mangle',
      '-D SHOAL-IPVS-MARK -p udp -m udp --dport 53 -j MARK --set-xmark 0x10010035/0xffffffff',
      'COMMIT',
    ]);
  });

  it('reads its own services back from ipvsadm-save, leaving others’ alone', () => {
    const saved = `-A -t 10.1.1.1:80 -s rr
-a -t 10.1.1.1:80 -r 10.2.2.2:80 -m -w 1
-A -f 268443536 -s rr
-a -f 268443536 -r 10.0.0.5:80 -m -w 1
-a -f 268443536 -r 10.0.0.6:80 -m -w 1
-A -f 7 -s rr
-a -f 7 -r 10.3.3.3:0 -g -w 1
`;
    const read = parseIpvsSave(saved);
    expect([...read]).toEqual([[268443536, ['10.0.0.5:80', '10.0.0.6:80']]]);
    expect(ipvsDelta(read, ipvsRules(state(table([]))).services)).toBe('-D -f 268443536\n');
  });
});
