import { describe, expect, it } from 'vitest';
import type { NodeNetwork } from '@shoal/common';
import { batchLines } from '../../src/network/actions.js';
import { desiredNetworks, type DataPathOptions } from '../../src/network/desired.js';
import { parseBridgeAddrs, type ObservedState } from '../../src/network/observed.js';
import { planNetworks } from '../../src/network/plan.js';

const ME = '10.99.0.11';
const opts: DataPathOptions = { underlay: ME, underlayMtu: 1500 };
const ID = 'ingr0123456789abcdef';
const BR = 'shb-ingr012345';

function ingress(over: Partial<NodeNetwork> = {}): NodeNetwork {
  return {
    id: ID,
    name: 'ingress',
    allocation: { subnet: '10.0.0.0/24', gateway: '10.0.0.1', vxlanId: 4096 },
    internal: false,
    attachable: false,
    driverOpts: {},
    services: [],
    endpoints: [{ taskId: 't1', serviceId: 's1', address: '10.0.0.7', nodeId: 'n2', nodeAddr: '10.99.0.12', serving: true }],
    ingress: true,
    nodes: [
      { nodeId: 'n1', address: '10.0.0.3', nodeAddr: ME },
      { nodeId: 'n2', address: '10.0.0.4', nodeAddr: '10.99.0.12:4242' },
      { nodeId: 'n3', address: '10.0.0.5', nodeAddr: '10.99.0.13' },
    ],
    ...over,
  };
}

function observed(bridgeAddrs: ObservedState['bridgeAddrs']): ObservedState {
  return {
    dockerNetworks: [{ dockerId: 'd', name: 'ingress', networkId: ID, legacy: false, subnet: '10.0.0.0/24', gateway: '10.0.0.1', ipRange: '', bridge: BR, mtu: 1450, internal: false, containers: 0 }],
    vxlans: [{ name: 'shv-ingr012345', vni: 4096, local: ME, port: 4789, learning: false, proxy: true, master: BR, portLearning: false, mtu: 1450, up: true }],
    bridges: [BR],
    fdb: [],
    portEntries: [],
    neigh: [],
    ...(bridgeAddrs ? { bridgeAddrs } : {}),
  };
}

const bridgeKinds = (n: NodeNetwork, obs: ObservedState) =>
  planNetworks(desiredNetworks({ networks: [n] }, [], opts), obs, { removeStale: true }).actions.filter((a) => ['set-bridge-mac', 'addr-replace', 'addr-del'].includes(a.kind));

describe('the ingress network on a node (issue 11)', () => {
  it('finds this node by its underlay address and makes every other node a peer', () => {
    const [d] = desiredNetworks({ networks: [ingress()] }, [], opts);
    expect(d!.ingress).toBe(true);
    expect(d!.self).toEqual({ address: '10.0.0.3', prefix: 24, mac: '02:42:0a:00:00:03' });
    expect(d!.peers!.map((p) => `${p.address} ${p.mac} ${p.dst}`)).toEqual([
      '10.0.0.4 02:42:0a:00:00:04 10.99.0.12',
      '10.0.0.5 02:42:0a:00:00:05 10.99.0.13',
      '10.0.0.7 02:42:0a:00:00:07 10.99.0.12',
    ]);
  });

  it('gives the bridge the node\'s MAC and address, then leaves it alone; removes an address the node no longer has', () => {
    expect(bridgeKinds(ingress(), observed([{ name: BR, mac: '66:11:22:33:44:55', addresses: ['10.0.0.1/24'] }]))).toEqual([
      { kind: 'set-bridge-mac', name: BR, mac: '02:42:0a:00:00:03' },
      { kind: 'addr-replace', dev: BR, cidr: '10.0.0.3/24' },
    ]);
    expect(bridgeKinds(ingress(), observed([{ name: BR, mac: '02:42:0a:00:00:03', addresses: ['10.0.0.1/24', '10.0.0.3/24'] }]))).toEqual([]);
    expect(bridgeKinds(ingress(), observed([{ name: BR, mac: '02:42:0a:00:00:03', addresses: ['10.0.0.1/24', '10.0.0.9/24', '10.0.0.3/24'] }]))).toEqual([
      { kind: 'addr-del', dev: BR, cidr: '10.0.0.9/24' },
    ]);
    // Not read (absent): written again, idempotently.
    expect(bridgeKinds(ingress(), observed(undefined)).map((a) => a.kind)).toEqual(['set-bridge-mac', 'addr-replace']);
  });

  it('a node the table does not list yet gets no address (and keeps only the gateway); other networks are untouched', () => {
    const unlisted = ingress({ nodes: [{ nodeId: 'n2', address: '10.0.0.4', nodeAddr: '10.99.0.12' }] });
    expect(desiredNetworks({ networks: [unlisted] }, [], opts)[0]!.self).toBeUndefined();
    expect(bridgeKinds(unlisted, observed([{ name: BR, mac: '02:42:0a:00:00:03', addresses: ['10.0.0.1/24', '10.0.0.3/24'] }]))).toEqual([{ kind: 'addr-del', dev: BR, cidr: '10.0.0.3/24' }]);
    const plain = ingress({ ingress: false });
    expect(desiredNetworks({ networks: [plain] }, [], opts)[0]!.peers!.map((p) => p.address)).toEqual(['10.0.0.7']);
    expect(bridgeKinds(plain, observed([{ name: BR, mac: 'x', addresses: ['10.0.0.1/24', '10.0.0.9/24'] }]))).toEqual([]);
  });

  it('writes the bridge lines into the links batch, after device changes', () => {
    const lines = batchLines([
      { kind: 'addr-replace', dev: BR, cidr: '10.0.0.3/24' },
      { kind: 'set-bridge-mac', name: BR, mac: '02:42:0a:00:00:03' },
      { kind: 'addr-del', dev: BR, cidr: '10.0.0.9/24' },
    ]);
    expect(lines.links).toEqual([`addr replace 10.0.0.3/24 dev ${BR}`, `link set dev ${BR} address 02:42:0a:00:00:03`, `addr del 10.0.0.9/24 dev ${BR}`]);
  });

  it('reads the bridges\' MACs and IPv4 addresses as iproute2 prints them', () => {
    const links = [{ ifname: BR, address: '02:42:0A:00:00:03' }, { ifname: 'eth0', address: 'aa:bb:cc:dd:ee:ff' }];
    const addrs = [{ ifname: BR, addr_info: [{ local: '10.0.0.1', prefixlen: 24 }, { local: '10.0.0.3', prefixlen: 24 }] }];
    expect(parseBridgeAddrs(links, addrs)).toEqual([{ name: BR, mac: '02:42:0a:00:00:03', addresses: ['10.0.0.1/24', '10.0.0.3/24'] }]);
  });
});
