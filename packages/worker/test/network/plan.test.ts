import { describe, expect, it } from 'vitest';
import type { NetworkTable, NodeNetwork, TaskNetworkAttachment } from '@shoal/common';
import { batchLines } from '../../src/network/actions.js';
import { desiredNetworks, overlayMtu, type DataPathOptions } from '../../src/network/desired.js';
import { parseFdb, parseLinks, parseNeigh, parsePortEntries, type ObservedDockerNetwork, type ObservedState } from '../../src/network/observed.js';
import { planNetworks, planRemoveAll } from '../../src/network/plan.js';

const ME = '10.99.0.11';
const opts: DataPathOptions = { underlay: ME, underlayMtu: 1500 };
const NET_ID = 'net1abcdefghijklmnop';

function net(over: Partial<NodeNetwork> = {}): NodeNetwork {
  return {
    id: NET_ID,
    name: 'vote_back',
    allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: 4194305 },
    internal: false,
    attachable: false,
    driverOpts: {},
    services: [],
    endpoints: [
      { taskId: 't1', serviceId: 's1', address: '10.0.1.7', nodeId: 'n1', nodeAddr: ME, serving: true },
      { taskId: 't2', serviceId: 's1', address: '10.0.1.8', nodeId: 'n2', nodeAddr: '10.99.0.12', serving: true },
      { taskId: 't3', serviceId: 's2', address: '10.0.1.9', nodeId: 'n3', nodeAddr: '10.99.0.13:4242', serving: false },
    ],
    ...over,
  };
}

const table = (...networks: NodeNetwork[]): NetworkTable => ({ networks });
const empty: ObservedState = { dockerNetworks: [], vxlans: [], bridges: [], fdb: [], portEntries: [], neigh: [] };

function dockerNet(over: Partial<ObservedDockerNetwork> = {}): ObservedDockerNetwork {
  return { dockerId: 'd1', name: 'vote_back', networkId: NET_ID, legacy: false, subnet: '10.0.1.0/24', gateway: '10.0.1.1', ipRange: '', bridge: 'shb-net1abcdef', mtu: 1450, internal: false, containers: 1, ...over };
}

/** What the node looks like once a plan for `net()` has run. */
function converged(): ObservedState {
  return {
    dockerNetworks: [dockerNet()],
    vxlans: [{ name: 'shv-net1abcdef', vni: 4194305, local: ME, port: 4789, learning: false, proxy: true, master: 'shb-net1abcdef', portLearning: false, mtu: 1450, up: true }],
    bridges: ['shb-net1abcdef'],
    fdb: [
      { dev: 'shv-net1abcdef', mac: '02:42:0a:00:01:08', dst: '10.99.0.12', port: undefined },
      { dev: 'shv-net1abcdef', mac: '02:42:0a:00:01:09', dst: '10.99.0.13', port: undefined },
    ],
    portEntries: [
      { dev: 'shv-net1abcdef', mac: '02:42:0a:00:01:08' },
      { dev: 'shv-net1abcdef', mac: '02:42:0a:00:01:09' },
    ],
    neigh: [
      { dev: 'shv-net1abcdef', address: '10.0.1.8', mac: '02:42:0a:00:01:08' },
      { dev: 'shv-net1abcdef', address: '10.0.1.9', mac: '02:42:0a:00:01:09' },
    ],
  };
}

const plan = (t: NetworkTable | undefined, obs: ObservedState, pinned: TaskNetworkAttachment[] = [], removeStale = true) =>
  planNetworks(desiredNetworks(t, pinned, opts), obs, { removeStale });

describe('desired networks', () => {
  it('names devices from the network id, takes MTU from the underlay less 50, and lists only remote endpoints as peers', () => {
    const [d] = desiredNetworks(table(net()), [], opts);
    expect(d).toMatchObject({ bridge: 'shb-net1abcdef', vxlan: 'shv-net1abcdef', mtu: 1450, local: ME, port: 4789, vni: 4194305 });
    expect(d!.peers).toEqual([
      { address: '10.0.1.8', mac: '02:42:0a:00:01:08', dst: '10.99.0.12', port: 4789 },
      { address: '10.0.1.9', mac: '02:42:0a:00:01:09', dst: '10.99.0.13', port: 4789 },
    ]);
  });

  it('honours an explicit MTU option and ignores a bad one', () => {
    expect(overlayMtu({ 'com.docker.network.driver.mtu': '1400' }, 1500)).toBe(1400);
    expect(overlayMtu({ 'com.docker.network.driver.mtu': 'big' }, 9000)).toBe(8950);
    expect(overlayMtu({ 'com.docker.network.driver.mtu': '20' }, 1500)).toBe(1450);
  });

  it('lets hooks set the device port and the encapsulation overhead (an encrypting relay)', () => {
    const [d] = desiredNetworks(table(net()), [], { ...opts, vxlanPort: () => 4790, overheadBytes: () => 90, peerUnderlay: (_n, addr) => ({ dst: addr, port: 4790 }) });
    expect(d).toMatchObject({ port: 4790, mtu: 1410 });
    const p = planNetworks([d!], empty, { removeStale: false });
    expect(batchLines(p.actions).links[0]).toContain('dstport 4790');
    expect(batchLines(p.actions).fdb[0]).toBe('fdb replace 02:42:0a:00:01:08 dev shv-net1abcdef dst 10.99.0.12 self permanent');
  });

  it('lets a hook send a peer elsewhere (an encrypting relay)', () => {
    const [d] = desiredNetworks(table(net()), [], { ...opts, peerUnderlay: (_n, addr) => ({ dst: '127.0.0.1', port: 40000 + Number(addr.split('.')[3]) }) });
    expect(d!.peers!.map((p) => `${p.dst}:${p.port}`)).toEqual(['127.0.0.1:40012', '127.0.0.1:40013']);
  });
});

describe('planNetworks', () => {
  it('builds a network from nothing: Docker network, VXLAN device, then fdb and neighbour entries', () => {
    const p = plan(table(net()), empty);
    expect(p.actions.map((a) => a.kind)).toEqual(['create-docker-network', 'create-vxlan', 'fdb-replace', 'fdb-replace', 'port-entry-replace', 'port-entry-replace', 'neigh-replace', 'neigh-replace']);
    expect(batchLines(p.actions)).toEqual({
      links: [
        'link add shv-net1abcdef type vxlan id 4194305 local 10.99.0.11 dstport 4789 nolearning proxy',
        'link set shv-net1abcdef mtu 1450 master shb-net1abcdef up',
        'link set shv-net1abcdef type bridge_slave learning off',
      ],
      fdb: [
        'fdb replace 02:42:0a:00:01:08 dev shv-net1abcdef dst 10.99.0.12 self permanent',
        'fdb replace 02:42:0a:00:01:09 dev shv-net1abcdef dst 10.99.0.13 self permanent',
        'fdb replace 02:42:0a:00:01:08 dev shv-net1abcdef master static',
        'fdb replace 02:42:0a:00:01:09 dev shv-net1abcdef master static',
      ],
      neigh: ['neigh replace 10.0.1.8 lladdr 02:42:0a:00:01:08 dev shv-net1abcdef nud permanent', 'neigh replace 10.0.1.9 lladdr 02:42:0a:00:01:09 dev shv-net1abcdef nud permanent'],
    });
  });

  it('adopts a node that is already right (a restarted shoald): nothing to do', () => {
    expect(plan(table(net()), converged())).toEqual({ actions: [], notes: [] });
  });

  it('follows endpoint changes with entry changes only', () => {
    const moved = net({ endpoints: [{ taskId: 't2', serviceId: 's1', address: '10.0.1.8', nodeId: 'n3', nodeAddr: '10.99.0.13', serving: true }] });
    const p = plan(table(moved), converged());
    expect(batchLines(p.actions)).toEqual({
      links: [],
      fdb: [
        'fdb del 02:42:0a:00:01:08 dev shv-net1abcdef dst 10.99.0.12 self',
        'fdb del 02:42:0a:00:01:09 dev shv-net1abcdef dst 10.99.0.13 self',
        'fdb del 02:42:0a:00:01:09 dev shv-net1abcdef master',
        'fdb replace 02:42:0a:00:01:08 dev shv-net1abcdef dst 10.99.0.13 self permanent',
      ],
      neigh: ['neigh del 10.0.1.9 dev shv-net1abcdef'],
    });
  });

  it('fixes a VXLAN device: wrong VNI or learning → recreated; detached or down → set again', () => {
    const wrongVni = converged();
    wrongVni.vxlans[0] = { ...wrongVni.vxlans[0]!, vni: 7 };
    const p1 = plan(table(net()), wrongVni);
    expect(p1.actions.slice(0, 2)).toEqual([{ kind: 'remove-link', name: 'shv-net1abcdef' }, expect.objectContaining({ kind: 'create-vxlan' })]);
    expect(p1.actions.filter((a) => a.kind === 'fdb-replace' || a.kind === 'port-entry-replace')).toHaveLength(4);
    const detached = converged();
    detached.vxlans[0] = { ...detached.vxlans[0]!, master: undefined, up: false, portLearning: true };
    expect(plan(table(net()), detached).actions).toEqual([{ kind: 'set-vxlan', name: 'shv-net1abcdef', mtu: 1450, master: 'shb-net1abcdef' }]);
  });

  it('rebuilds a Docker network that differs once no container names it, and says why while one does', () => {
    const obs = { ...converged(), dockerNetworks: [dockerNet({ subnet: '10.0.9.0/24', containers: 0 })] };
    expect(plan(table(net()), obs).actions.slice(0, 2)).toEqual([{ kind: 'remove-docker-network', dockerId: 'd1', name: 'vote_back' }, expect.objectContaining({ kind: 'create-docker-network' })]);
    const busy = { ...converged(), dockerNetworks: [dockerNet({ mtu: undefined })] };
    const p = plan(table(net()), busy);
    expect(p.actions).toEqual([]);
    expect(p.notes[0]).toMatch(/differs: mtu default \(want 1450\).*once its 1 container/);
  });

  it('does not take a name a Docker network of someone else holds', () => {
    const p = plan(table(net()), { ...empty, dockerNetworks: [dockerNet({ networkId: '', containers: 0 })] });
    expect(p.actions).toEqual([]);
    expect(p.notes).toEqual(['cannot create network vote_back on this node: a Docker network that shoal did not create holds the name; remove it']);
  });

  it('replaces an unused node-local network an older shoal made under the same name', () => {
    const old = dockerNet({ dockerId: 'old', networkId: '', legacy: true, containers: 0, subnet: '172.20.0.0/16' });
    expect(plan(table(net()), { ...empty, dockerNetworks: [old] }).actions.slice(0, 2)).toEqual([
      { kind: 'remove-docker-network', dockerId: 'old', name: 'vote_back' },
      expect.objectContaining({ kind: 'create-docker-network' }),
    ]);
    const busy = plan(table(net()), { ...empty, dockerNetworks: [{ ...old, containers: 2 }] });
    expect(busy.actions).toEqual([]);
    expect(busy.notes).toEqual(['cannot create network vote_back on this node: a Docker network of an older shoal, still in use, holds the name; remove it']);
  });

  it('removes a network no longer needed once its last container is gone, with its devices', () => {
    expect(plan(table(), converged()).actions).toEqual([]);
    const idle = { ...converged(), dockerNetworks: [dockerNet({ containers: 0 })] };
    expect(plan(table(), idle).actions).toEqual([
      { kind: 'remove-docker-network', dockerId: 'd1', name: 'vote_back' },
      { kind: 'remove-link', name: 'shv-net1abcdef' },
    ]);
  });

  it('removes stray devices, but nothing stale before the first table', () => {
    const stray: ObservedState = { ...empty, bridges: ['shb-gone'], vxlans: [{ ...converged().vxlans[0]!, name: 'shv-gone', master: 'shb-gone' }] };
    expect(plan(table(), stray).actions).toEqual([
      { kind: 'remove-link', name: 'shb-gone' },
      { kind: 'remove-link', name: 'shv-gone' },
    ]);
    expect(plan(undefined, stray, [], false).actions).toEqual([]);
  });

  it('builds the network of a task being prepared before any table, leaving entries alone', () => {
    const n = net();
    const att: TaskNetworkAttachment = { networkId: n.id, name: n.name, address: '10.0.1.7/24', aliases: [], allocation: n.allocation, internal: false, attachable: false, driverOpts: {} };
    expect(plan(undefined, empty, [att], false).actions.map((a) => a.kind)).toEqual(['create-docker-network', 'create-vxlan']);
    expect(plan(undefined, converged(), [att], false).actions).toEqual([]);
  });

  it('removes everything shoal made on swarm leave', () => {
    const obs = { ...converged(), dockerNetworks: [dockerNet(), dockerNet({ dockerId: 'x', networkId: '', name: 'mine' })], bridges: ['shb-net1abcdef', 'shb-stray'] };
    expect(planRemoveAll(obs).actions).toEqual([
      { kind: 'remove-docker-network', dockerId: 'd1', name: 'vote_back' },
      { kind: 'remove-link', name: 'shv-net1abcdef' },
      { kind: 'remove-link', name: 'shb-stray' },
    ]);
  });
});

describe('parsers of ip -j and bridge -j', () => {
  it('reads VXLAN devices, bridges, fdb and neighbour entries as iproute2 6.1 prints them', () => {
    const links = [
      { ifname: 'shb-abc', flags: ['BROADCAST'], mtu: 1450 },
      {
        ifname: 'shv-abc',
        flags: ['BROADCAST', 'UP'],
        mtu: 1450,
        master: 'shb-abc',
        linkinfo: { info_kind: 'vxlan', info_data: { id: 4194305, local: '10.98.0.5', port: 4789, learning: false, proxy: true }, info_slave_kind: 'bridge', info_slave_data: { learning: false } },
      },
      { ifname: 'eth0', flags: ['UP'], mtu: 1500 },
    ];
    expect(parseLinks(links)).toEqual({
      bridges: ['shb-abc'],
      vxlans: [{ name: 'shv-abc', vni: 4194305, local: '10.98.0.5', port: 4789, learning: false, proxy: true, master: 'shb-abc', portLearning: false, mtu: 1450, up: true }],
    });
    const fdb = [
      { mac: '92:ba:45:02:42:4f', ifname: 'shv-abc', flags: [], master: 'shb-abc', state: 'permanent' },
      { mac: '02:42:0a:00:01:08', ifname: 'shv-abc', dst: '127.0.0.1', port: 4800, flags: ['self'], state: 'permanent' },
      { mac: '02:42:0a:00:01:07', ifname: 'shv-abc', dst: '10.98.0.6', flags: ['self'], state: 'permanent' },
      { mac: '02:42:ac:11:00:02', ifname: 'veth1', master: 'docker0' },
      { mac: '02:42:0a:00:01:08', ifname: 'shv-abc', flags: [], master: 'shb-abc', state: 'static' },
    ];
    expect(parsePortEntries(fdb)).toEqual([{ dev: 'shv-abc', mac: '02:42:0a:00:01:08' }]);
    expect(parseFdb(fdb)).toEqual([
      { dev: 'shv-abc', mac: '02:42:0a:00:01:08', dst: '127.0.0.1', port: 4800 },
      { dev: 'shv-abc', mac: '02:42:0a:00:01:07', dst: '10.98.0.6', port: undefined },
    ]);
    expect(parseNeigh([{ dst: '10.0.1.7', dev: 'shv-abc', lladdr: '02:42:0A:00:01:07', state: ['PERMANENT'] }, { dst: '10.99.0.1', dev: 'eth0', lladdr: 'aa' }])).toEqual([
      { dev: 'shv-abc', address: '10.0.1.7', mac: '02:42:0a:00:01:07' },
    ]);
    expect(parseLinks('nonsense')).toEqual({ vxlans: [], bridges: [] });
  });
});

describe('attachable networks', () => {
  it('leave the last quarter of the subnet to Docker’s IPAM for plain containers', async () => {
    const { attachableRange } = await import('../../src/network/desired.js');
    expect(attachableRange('10.0.1.0/24')).toBe('10.0.1.192/26');
    expect(attachableRange('10.20.0.0/16')).toBe('10.20.192.0/18');
    expect(attachableRange('10.0.1.0/29')).toBeUndefined();
    const [d] = desiredNetworks(table(net({ attachable: true })), [], opts);
    expect(d!.ipRange).toBe('10.0.1.192/26');
    const p = plan(table(net({ attachable: true })), { ...converged(), dockerNetworks: [dockerNet({ containers: 0 })] });
    expect(p.actions[0]).toEqual({ kind: 'remove-docker-network', dockerId: 'd1', name: 'vote_back' });
  });
});
