import { addressOf, ERROR_CODES, type Node, type PortConfig } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { planNodeAddresses } from '../../src/allocator/node-addresses.js';
import { UsedAddresses } from '../../src/allocator/used-addresses.js';
import { bootstrapCluster, ingressNetworkSpec, initialIngressNetwork } from '../../src/bootstrap.js';
import { createNetwork, removeNetwork } from '../../src/control/networks.js';
import { createService, removeService, updateService } from '../../src/control/services.js';
import { localStore, makeNode } from '../scheduler/fixtures.js';
import { batchingStore, leaderLoops, networkSpec, serviceSpec } from './fixtures.js';

const strip = <T extends { meta: unknown }>(o: T): Omit<T, 'meta'> => {
  const { meta: _m, ...rest } = o;
  return rest;
};
const mesh = (publishedPort: number): PortConfig => ({ protocol: 'tcp', targetPort: 80, publishedPort, publishMode: 'ingress' });
const published = (name: string, networks: string[], ports: PortConfig[], o: { replicas?: number } = {}) => {
  const spec = serviceSpec(name, networks, o);
  return { ...spec, endpoint: { ...spec.endpoint, ports } };
};
const mesh8080 = { protocol: 'tcp' as const, targetPort: 80, publishedPort: 8080, publishMode: 'ingress' as const };
const nodeAddresses = (nodes: Node[]) => Object.fromEntries(nodes.map((n) => [n.id, n.ingress && addressOf(n.ingress.address)]));

async function withNodes(...ids: string[]) {
  const t = leaderLoops();
  await t.store.update((tx) => {
    for (const id of ids) tx.create('nodes', strip(makeNode(id)));
  });
  t.start();
  return t;
}

describe('the ingress network: node addresses', () => {
  it('gives every node an address once an ingress network exists, a new one when it is made again, none when it is gone', async () => {
    const t = await withNodes('a', 'b');
    await t.settle();
    expect(nodeAddresses(t.store.view().list('nodes'))).toEqual({ a: undefined, b: undefined });
    const ingress = await createNetwork(t.store, t.rng, ingressNetworkSpec('10.10.0.0/24'));
    await t.settle();
    expect(nodeAddresses(t.store.view().list('nodes'))).toEqual({ a: '10.10.0.2', b: '10.10.0.3' });
    expect(t.store.view().get('nodes', 'a')!.ingress).toEqual({ networkId: ingress.id, address: '10.10.0.2/24' });
    // A node that joins gets the next one.
    await t.store.update((tx) => tx.create('nodes', strip(makeNode('c'))));
    await t.settle();
    expect(nodeAddresses(t.store.view().list('nodes')).c).toBe('10.10.0.4');
    // Removed: the addresses go too; made again: every node gets one on the new network.
    await removeNetwork(t.store, 'ingress');
    await t.settle();
    expect(nodeAddresses(t.store.view().list('nodes'))).toEqual({ a: undefined, b: undefined, c: undefined });
    const again = await createNetwork(t.store, t.rng, ingressNetworkSpec('10.20.0.0/24'));
    await t.settle();
    expect(t.store.view().list('nodes').map((n) => n.ingress?.networkId)).toEqual([again.id, again.id, again.id]);
    expect(Object.values(nodeAddresses(t.store.view().list('nodes'))).sort()).toEqual(['10.20.0.2', '10.20.0.3', '10.20.0.4']);
  });

  it('frees a removed node\'s address, and never gives a task an address a node holds', async () => {
    const t = await withNodes('a', 'b');
    const ingress = await createNetwork(t.store, t.rng, ingressNetworkSpec('10.10.0.0/29'));
    await t.settle();
    await t.store.update((tx) => tx.remove('nodes', 'b'));
    // /29: hosts .1 (gateway) to .6; a holds .2, b held .3.
    await createService(t.store, t.rng, published('web', [], [mesh(8080)], { replicas: 4 }));
    await t.settle();
    const held = t.store.view().byIndex('tasks', 'network', ingress.id).map((x) => addressOf(x.networks!.at(-1)!.address));
    expect(held.sort()).toEqual(['10.10.0.3', '10.10.0.4', '10.10.0.5', '10.10.0.6']);
    expect(held).not.toContain(addressOf(t.store.view().get('nodes', 'a')!.ingress!.address));
  });

  it('refuses, at apply time, a node address that a task took on the same view', async () => {
    const { store, flush } = batchingStore();
    const ingress = { id: 'I', spec: ingressNetworkSpec(), allocation: { subnet: '10.0.0.0/24', gateway: '10.0.0.1', vxlanId: 0x400000 } };
    const created = store.update((tx) => {
      tx.create('networks', ingress);
      tx.create('nodes', strip(makeNode('a')));
      tx.create('nodes', strip(makeNode('b')));
    });
    flush();
    await created;
    const a = store.view().get('nodes', 'a')!;
    const b = store.view().get('nodes', 'b')!;
    const first = store.update((tx) => tx.update('nodes', { ...a, ingress: { networkId: 'I', address: '10.0.0.7/24' } }));
    const second = store.update((tx) => tx.update('nodes', { ...b, ingress: { networkId: 'I', address: '10.0.0.7/24' } }));
    flush();
    await first;
    await expect(second).rejects.toMatchObject({ code: ERROR_CODES.CONFLICT, message: expect.stringContaining('address 10.0.0.7 on network ingress is already in use') });
  });
});

describe('planNodeAddresses', () => {
  const space = { id: 'I', meta: { version: 1, createdAt: '', updatedAt: '' }, spec: ingressNetworkSpec(), allocation: { subnet: '10.0.0.0/29', gateway: '10.0.0.1', vxlanId: 0x400000 } };
  const nodes = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => makeNode(id));
  const used = (held: number[] = []) => {
    const u = new UsedAddresses({ tasksOn: () => [], servicesOn: () => [] });
    for (const h of held) u.of('I').add(h);
    return u;
  };

  it('hands out the next free addresses, says which nodes must wait on a full network, and stops at its bound', () => {
    const out = planNodeAddresses({ nodes, ingress: space, used: used([0x0a000003]), cursors: new Map(), max: 100 });
    // /29: .2 to .6 are hosts, .1 is the gateway, .3 is held.
    expect(out.assigned.map((a) => [a.nodeId, a.ingress.address])).toEqual([['a', '10.0.0.4/29'], ['b', '10.0.0.5/29'], ['c', '10.0.0.6/29'], ['d', '10.0.0.2/29']]);
    expect(out.failed.map((f) => f.nodeId)).toEqual(['e', 'f', 'g']);
    expect(out.failed[0]!.err).toBe('no free address on network ingress for node e');
    expect(planNodeAddresses({ nodes, ingress: space, used: used(), cursors: new Map(), max: 2 }).assigned).toHaveLength(2);
  });

  it('keeps an address on the current network, replaces one on another, clears them all without an ingress network', () => {
    const here = { ...makeNode('a'), ingress: { networkId: 'I', address: '10.0.0.2/29' } };
    const elsewhere = { ...makeNode('b'), ingress: { networkId: 'OLD', address: '10.9.0.2/24' } };
    const out = planNodeAddresses({ nodes: [here, elsewhere], ingress: space, used: used([0x0a000002]), cursors: new Map(), max: 100 });
    expect(out.assigned).toEqual([{ nodeId: 'b', ingress: { networkId: 'I', address: '10.0.0.3/29' } }]);
    expect(planNodeAddresses({ nodes: [here, elsewhere, makeNode('c')], ingress: undefined, used: used(), cursors: new Map(), max: 100 })).toEqual({ assigned: [], cleared: ['a', 'b'], failed: [] });
  });
});

describe('the ingress network: apply-time rules', () => {
  it('refuses a second ingress network and removing it under a service that publishes, when both were built on one view', async () => {
    const { store, flush } = batchingStore();
    const mesh = (id: string, name: string) => ({ id, spec: { ...ingressNetworkSpec(), annotations: { name, labels: {} } }, allocation: { subnet: `10.${id === 'I' ? 0 : 1}.0.0/24`, gateway: '10.0.0.1', vxlanId: id === 'I' ? 0x400000 : 0x400001 } });
    const one = store.update((tx) => tx.create('networks', mesh('I', 'ingress')));
    const two = store.update((tx) => tx.create('networks', mesh('J', 'mesh2')));
    flush();
    await one;
    await expect(two).rejects.toMatchObject({ code: ERROR_CODES.CONFLICT, message: 'ingress network already present' });
    const web = published('web', [], [mesh8080]);
    const created = store.update((tx) => tx.create('services', { id: 'S', spec: web }));
    const removed = store.update((tx) => tx.remove('networks', 'I'));
    flush();
    await created;
    await expect(removed).rejects.toThrow('ingress network cannot be removed because service web depends on it');
  });
});

describe('the ingress network: tasks', () => {
  it('attaches tasks that publish ingress ports to it, last, and tasks that publish none not at all', async () => {
    const t = await withNodes('a');
    const ingress = await createNetwork(t.store, t.rng, ingressNetworkSpec());
    await createNetwork(t.store, t.rng, networkSpec('back'));
    const web = await createService(t.store, t.rng, published('web', ['back'], [mesh(8080), { ...mesh(9000), publishMode: 'host' }]));
    const plain = await createService(t.store, t.rng, published('plain', [], []));
    const hostOnly = await createService(t.store, t.rng, published('hostonly', [], [{ ...mesh(9001), publishMode: 'host' }]));
    await t.settle();
    const tasks = t.store.view().list('tasks');
    const of = (id: string) => tasks.find((x) => x.serviceId === id)!;
    expect(of(web.id).networks!.map((n) => n.name)).toEqual(['back', 'ingress']);
    expect(of(web.id).networks![1]).toMatchObject({ networkId: ingress.id, aliases: [] });
    expect(of(web.id).status.state).toBe('assigned');
    expect(of(plain.id).networks).toBeUndefined();
    expect(of(hostOnly.id).networks).toBeUndefined();
    // No VIP on the ingress network.
    expect(t.store.view().get('services', web.id)!.endpoint!.virtualIps.map((v) => v.networkId)).not.toContain(ingress.id);
  });
});

describe('the ingress network: control', () => {
  it('refuses a second ingress network, naming the first, and an attachable one', async () => {
    const t = await withNodes('a');
    const first = await createNetwork(t.store, t.rng, ingressNetworkSpec());
    await expect(createNetwork(t.store, t.rng, { ...ingressNetworkSpec(), annotations: { name: 'mesh2', labels: {} } })).rejects.toThrow(`ingress network ingress (${first.id}) is already present`);
    await expect(createNetwork(t.store, t.rng, { ...ingressNetworkSpec(), annotations: { name: 'mesh3', labels: {} }, attachable: true })).rejects.toThrow('ingress network cannot be attachable');
  });

  it('refuses to publish ingress ports without an ingress network, to name it, and to remove it while a service publishes', async () => {
    const t = await withNodes('a');
    await expect(createService(t.store, t.rng, published('web', [], [mesh(8080)]))).rejects.toThrow('service needs ingress network, but no ingress network is present');
    await createNetwork(t.store, t.rng, ingressNetworkSpec());
    await expect(createService(t.store, t.rng, published('web', ['ingress'], []))).rejects.toThrow('service cannot be explicitly attached to the ingress network "ingress"');
    const web = await createService(t.store, t.rng, published('web', [], [mesh(8080)]));
    await expect(removeNetwork(t.store, 'ingress')).rejects.toThrow('ingress network cannot be removed because service web depends on it');
    // Host-mode ports only: the mesh is not needed.
    await updateService(t.store, web.id, 0, published('web', [], [{ ...mesh(8080), publishMode: 'host' }]));
    await removeNetwork(t.store, 'ingress');
    await expect(updateService(t.store, web.id, 0, published('web', [], [mesh(8080)]))).rejects.toThrow('no ingress network is present');
    await removeService(t.store, web.id);
  });
});

describe('swarm init', () => {
  it('creates the ingress network, as Docker: 10.0.0.0/24 by default, the subnet given, or one clear line', async () => {
    const { store } = localStore();
    await bootstrapCluster(store, { clusterId: 'c', nodeId: 'n1', hostname: 'h', addr: '192.168.1.5:2377', ingressNetworkId: 'I' });
    expect(store.view().get('networks', 'I')).toMatchObject({ spec: { annotations: { name: 'ingress' }, ingress: true, attachable: false }, allocation: { subnet: '10.0.0.0/24', gateway: '10.0.0.1' } });
    expect(initialIngressNetwork('I', { addr: '10.0.0.5:2377' }).allocation!.subnet).toBe('10.0.1.0/24');
    expect(initialIngressNetwork('I', { addr: '10.0.0.5:2377', ingressSubnet: '172.30.0.0/16' }).allocation).toEqual({ subnet: '172.30.0.0/16', gateway: '172.30.0.1', vxlanId: 0x400000 });
    expect(initialIngressNetwork('I', { addr: '10.9.0.5', defaultAddrPool: ['10.9.0.0/16'], subnetSize: 26 }).allocation!.subnet).toBe('10.9.0.64/26');
    expect(() => initialIngressNetwork('I', { addr: '10.0.0.5:2377', ingressSubnet: '10.0.0.0/24' })).toThrow(/10\.0\.0\.5/);
    // Without an ID (a bare cluster for tests), none is made.
    const bare = localStore().store;
    await bootstrapCluster(bare, { clusterId: 'c', nodeId: 'n1', hostname: 'h', addr: '192.168.1.5:2377' });
    expect(bare.view().list('networks')).toEqual([]);
  });
});
