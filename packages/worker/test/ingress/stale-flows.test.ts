import { describe, expect, it } from 'vitest';
import { meshState, staleMeshFlows } from '@shoal/worker';
import { entry, table } from './fixtures.js';

const LIST = `udp      17 28 src=10.231.9.2 dst=10.231.9.1 sport=40000 dport=18480 src=10.0.9.11 dst=10.231.9.2 sport=80 dport=40000 mark=0 use=1
udp      17 28 src=10.231.9.3 dst=10.231.9.1 sport=40001 dport=18480 src=10.0.9.11 dst=10.231.9.3 sport=80 dport=40001 mark=0 use=1
tcp      6 431999 ESTABLISHED src=10.231.9.2 dst=10.231.9.1 sport=51000 dport=18480 src=10.0.9.12 dst=10.231.9.2 sport=80 dport=51000 [ASSURED] mark=0 use=1
tcp      6 431999 ESTABLISHED src=10.231.9.2 dst=10.231.9.1 sport=51001 dport=22 src=10.231.9.1 dst=10.231.9.2 sport=22 dport=51001 [ASSURED] mark=0 use=1
tcp      6 431999 ESTABLISHED src=10.231.9.2 dst=10.231.9.1 sport=51002 dport=8080 src=172.17.0.2 dst=10.231.9.2 sport=80 dport=51002 [ASSURED] mark=0 use=1
conntrack v1.4.7 (conntrack-tools): 5 flow entries have been shown.
`;

describe('flows left to departed backends after a restart', () => {
  it('finds translated flows to a published port that its backends no longer answer, once each', () => {
    const state = meshState(table([entry(18480, ['10.0.9.12'], 'udp'), entry(18480, ['10.0.9.12'])]), 'preserved').state;
    expect(staleMeshFlows(LIST, state, 10)).toEqual([{ protocol: 'udp', publishedPort: 18480, ip: '10.0.9.11', port: 80 }]);
  });

  it('leaves alone untranslated flows and ports the mesh does not publish (Docker’s own), and obeys the limit', () => {
    const state = meshState(table([entry(22, ['10.0.9.12'])]), 'preserved').state;
    expect(staleMeshFlows(LIST, state, 10)).toEqual([]);
    const both = meshState(table([entry(18480, ['10.0.9.99'], 'udp'), entry(18480, ['10.0.9.99'])]), 'preserved').state;
    expect(staleMeshFlows(LIST, both, 1)).toHaveLength(1);
    expect(staleMeshFlows(LIST, undefined, 10)).toEqual([]);
  });
});
