import { describe, expect, it } from 'vitest';
import { conntrackDeleteArgs, pairsInUse, parseConntrack, staleFlows } from '../../src/vip/conntrack.js';

const LISTING = [
  'tcp      6 431999 ESTABLISHED src=10.0.1.5 dst=10.0.1.2 sport=40000 dport=80 src=10.0.1.9 dst=10.0.1.5 sport=80 dport=40000 [ASSURED] mark=0 use=1',
  'tcp      6 431999 ESTABLISHED src=10.0.1.5 dst=10.0.1.2 sport=40001 dport=80 src=10.0.1.10 dst=10.0.1.5 sport=80 dport=40001 [ASSURED] mark=0 use=1',
  'udp      17 29 src=10.0.1.5 dst=10.0.1.2 sport=5000 dport=53 [UNREPLIED] src=10.0.1.9 dst=10.0.1.5 sport=53 dport=5000 mark=0 use=1',
  'icmp     1 29 src=10.0.1.5 dst=10.0.1.3 type=8 code=0 id=12 src=10.0.1.20 dst=10.0.1.5 type=0 code=0 id=12 mark=0 use=1',
  'tcp      6 100 ESTABLISHED src=10.0.1.5 dst=10.0.1.9 sport=40002 dport=80 src=10.0.1.9 dst=10.0.1.5 sport=80 dport=40002 [ASSURED] mark=0 use=1',
  'conntrack v1.4.7 (conntrack-tools): 5 flow entries have been shown.',
  '',
].join('\n');

describe('conntrack', () => {
  it('parses the original destination and the reply source of each flow', () => {
    const flows = parseConntrack(LISTING);
    expect(flows).toHaveLength(5);
    expect(flows[0]).toEqual({ protocol: 'tcp', dst: '10.0.1.2', replySrc: '10.0.1.9' });
    expect(flows[3]).toEqual({ protocol: 'icmp', dst: '10.0.1.3', replySrc: '10.0.1.20' });
  });

  it('finds flows of every protocol to backends a VIP no longer has, and of VIPs left with none', () => {
    const vips = [
      { vip: '10.0.1.2', backends: ['10.0.1.10'] },
      { vip: '10.0.1.3', backends: [] },
    ];
    expect(staleFlows(parseConntrack(LISTING), vips)).toEqual([
      { vip: '10.0.1.2', backend: '10.0.1.9' },
      { vip: '10.0.1.3', backend: '10.0.1.20' },
    ]);
  });

  it('leaves flows to serving backends and untranslated flows (to a task address) alone', () => {
    const vips = [{ vip: '10.0.1.2', backends: ['10.0.1.9', '10.0.1.10'] }];
    expect(staleFlows(parseConntrack(LISTING), vips)).toEqual([]);
  });

  it('deletes a stale pair by original destination and reply source', () => {
    expect(conntrackDeleteArgs({ vip: '10.0.1.2', backend: '10.0.1.9' })).toEqual(['-D', '-d', '10.0.1.2', '-r', '10.0.1.9']);
  });

  it('keeps, of the pairs that went, only those a tracked connection still uses (also /proc/net/nf_conntrack lines)', () => {
    const proc = 'ipv4     2 udp      17 29 src=10.0.1.5 dst=10.0.1.2 sport=5000 dport=53 src=10.0.1.9 dst=10.0.1.5 sport=53 dport=5000 mark=0 zone=0 use=2\n';
    const removed = [
      { vip: '10.0.1.2', backend: '10.0.1.9' },
      { vip: '10.0.1.2', backend: '10.0.1.11' },
    ];
    expect(pairsInUse(parseConntrack(proc), removed)).toEqual([{ vip: '10.0.1.2', backend: '10.0.1.9' }]);
    expect(pairsInUse(parseConntrack(LISTING), removed)).toEqual([{ vip: '10.0.1.2', backend: '10.0.1.9' }]);
  });
});
