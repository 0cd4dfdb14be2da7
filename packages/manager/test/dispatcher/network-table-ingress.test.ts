import { describe, expect, it } from 'vitest';
import type { Network } from '@shoal/common';
import { networkTableFor } from '../../src/dispatcher/network-table.js';
import { NetworkTableCache } from '../../src/dispatcher/network-table-cache.js';
import type { Unversioned, WatchEvent } from '../../src/store/types.js';
import { localStore } from '../scheduler/fixtures.js';
import { createAll, netService, netTask, network, node } from './network-fixtures.js';

const INGRESS: Unversioned<Network> = (() => {
  const n = network('I', { name: 'ingress', subnet: '10.0.0.0/24', vxlanId: 0x400000 });
  return { ...n, spec: { ...n.spec, ingress: true } };
})();

const meshNode = (id: string, addr: string, ingress?: string) => {
  const n = node(id, addr);
  if (ingress) n.ingress = { networkId: 'I', address: `${ingress}/24` };
  return n;
};

async function mesh() {
  const { store } = localStore();
  const web = netService('S1', { name: 'web', on: {} });
  web.spec.endpoint.ports = [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }];
  await store.update((tx) =>
    createAll(tx, {
      networks: [INGRESS],
      // n10 has the lower address but the later ID: `nodes` sorts by address.
      nodes: [meshNode('n1', '10.99.0.11:2377', '10.0.0.3'), meshNode('n10', '10.99.0.20:2377', '10.0.0.2'), meshNode('n3', '10.99.0.13:2377')],
      services: [web],
      tasks: [netTask('T1', { service: web, nodeId: 'n1', addresses: { I: '10.0.0.9/24' } })],
    }),
  );
  return store;
}

describe('the ingress network in the NetworkTable', () => {
  it('goes to every node with an ingress address, tasks or not, with ingress: true, its nodes by address and its endpoints', async () => {
    const store = await mesh();
    const n10 = networkTableFor(store.view(), 'n10');
    expect(n10.networks).toHaveLength(1);
    expect(n10.networks[0]).toMatchObject({
      id: 'I',
      name: 'ingress',
      ingress: true,
      nodes: [
        { nodeId: 'n10', address: '10.0.0.2', nodeAddr: '10.99.0.20' },
        { nodeId: 'n1', address: '10.0.0.3', nodeAddr: '10.99.0.11' },
      ],
      endpoints: [{ taskId: 'T1', serviceId: 'S1', address: '10.0.0.9', nodeId: 'n1', nodeAddr: '10.99.0.11', serving: true }],
    });
    expect(networkTableFor(store.view(), 'n1')).toEqual(n10);
    // No address yet: the node does not join the mesh (it gets the network once it has one).
    expect(networkTableFor(store.view(), 'n3')).toEqual({ networks: [] });
  });

  it('touches the ingress network and the node when a node gets, changes or loses its address', async () => {
    const store = await mesh();
    const cache = new NetworkTableCache(() => {});
    const seen: ReturnType<NetworkTableCache['observe']>[] = [];
    store.watch((events: WatchEvent[]) => seen.push(cache.observe(events, store.view())));
    const same = () => {
      for (const n of ['n1', 'n10', 'n3', 'n4']) expect(cache.tableFor(store.view(), n).json()).toBe(JSON.stringify(networkTableFor(store.view(), n)));
    };
    same();
    const n1Key = cache.tableFor(store.view(), 'n1').key;
    const n3 = store.view().get('nodes', 'n3')!;
    await store.update((tx) => tx.update('nodes', { ...n3, ingress: { networkId: 'I', address: '10.0.0.4/24' } }));
    expect(seen.at(-1)).toMatchObject({ networks: new Set(['I']), nodes: new Set(['n3']) });
    expect(cache.tableFor(store.view(), 'n3').needed).toEqual(['I']);
    expect(cache.tableFor(store.view(), 'n1').key).not.toBe(n1Key);
    same();
    // Its underlay address moved: every node's `nodes` changes.
    const moved = store.view().get('nodes', 'n3')!;
    await store.update((tx) => tx.update('nodes', { ...moved, status: { ...moved.status, addr: '10.99.0.33:2377' } }));
    expect([...seen.at(-1)!.networks]).toEqual(['I']);
    same();
    // A new node, then a removed one.
    await store.update((tx) => tx.create('nodes', meshNode('n4', '10.99.0.14:2377', '10.0.0.5')));
    expect(seen.at(-1)).toMatchObject({ networks: new Set(['I']), nodes: new Set(['n4']) });
    same();
    await store.update((tx) => tx.remove('nodes', 'n10'));
    expect(seen.at(-1)).toMatchObject({ networks: new Set(['I']), nodes: new Set(['n10']) });
    same();
    // The ingress network replaced (removing it alone is refused while a service publishes): no
    // node needs the old one any more, nor the new one until it has an address there.
    await store.update((tx) => {
      tx.remove('networks', 'I');
      tx.create('networks', { ...INGRESS, id: 'J', allocation: { subnet: '10.1.0.0/24', gateway: '10.1.0.1', vxlanId: 0x400001 } });
    });
    expect(seen.at(-1)!.everyNode).toBe(true);
    // (n1 still runs a task attached to it: that keeps it until the task stops, as for any network.)
    expect(cache.tableFor(store.view(), 'n3').needed).toEqual([]);
  });
});
