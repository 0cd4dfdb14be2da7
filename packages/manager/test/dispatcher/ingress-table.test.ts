import { describe, expect, it } from 'vitest';
import type { IngressTable, Network, PortConfig, Service, Task } from '@shoal/common';
import { ingressTableFor } from '../../src/dispatcher/ingress-table.js';
import { IngressTableCache, type IngressAffected } from '../../src/dispatcher/ingress-table-cache.js';
import type { Unversioned, WatchEvent } from '../../src/store/types.js';
import { localStore } from '../scheduler/fixtures.js';
import { createAll, netService, netTask, network, node, type NetTaskOptions } from './network-fixtures.js';

const INGRESS: Unversioned<Network> = (() => {
  const n = network('I', { name: 'ingress', subnet: '10.0.0.0/24', vxlanId: 0x400000 });
  return { ...n, spec: { ...n.spec, ingress: true } };
})();

const port = (publishedPort: number, targetPort = 80, protocol: 'tcp' | 'udp' = 'tcp'): PortConfig => ({ protocol, targetPort, publishedPort, publishMode: 'ingress' });

function published(id: string, ports: PortConfig[], healthcheck?: string[]): Service {
  const s = netService(id, { name: `web-${id}`, on: {}, ...(healthcheck ? { healthcheck } : {}) });
  s.spec.endpoint.ports = ports;
  return s;
}

function meshTask(id: string, service: Service, o: Partial<NetTaskOptions> & { ip?: string } = {}): Task {
  const t = netTask(id, { service, addresses: o.ip ? { I: `${o.ip}/24` } : {}, ...o });
  t.endpointPorts = structuredClone(service.spec.endpoint.ports);
  return t;
}

const meshNode = (id: string, addr: string, ingress?: string) => {
  const n = node(id, addr);
  if (ingress) n.ingress = { networkId: 'I', address: `${ingress}/24` };
  return n;
};

const web = published('S1', [port(8080), port(53, 5353, 'udp')]);
const checked = published('S2', [port(9090, 90)], ['CMD', 'true']);
const idle = published('S3', [port(7070)]);

async function cluster() {
  const { store } = localStore();
  await store.update((tx) =>
    createAll(tx, {
      networks: [INGRESS],
      nodes: [meshNode('n1', '10.99.0.11:2377', '10.0.0.2'), meshNode('n2', '10.99.0.12:2377', '10.0.0.3'), meshNode('n3', '10.99.0.13:2377'), { ...meshNode('n4', '10.99.0.14:2377', '10.0.0.4'), status: { state: 'down', message: '', addr: '10.99.0.14' } }],
      services: [web, checked, idle],
      tasks: [
        meshTask('T2', web, { nodeId: 'n2', ip: '10.0.0.12' }),
        meshTask('T1', web, { nodeId: 'n1', ip: '10.0.0.11' }),
        meshTask('T3', web, { nodeId: 'n1', ip: '10.0.0.13', state: 'starting' }),
        meshTask('T4', web, { nodeId: 'n4', ip: '10.0.0.14' }),
        meshTask('T5', web, { nodeId: 'n1', ip: '10.0.0.15', desiredState: 'shutdown' }),
        meshTask('T6', web, { nodeId: 'n1' }),
        meshTask('H1', checked, { nodeId: 'n2', ip: '10.0.0.21', health: 'healthy' }),
        meshTask('H2', checked, { nodeId: 'n2', ip: '10.0.0.22', health: 'starting' }),
        meshTask('H3', checked, { nodeId: 'n1', ip: '10.0.0.23', health: 'unhealthy' }),
        meshTask('X1', idle, { nodeId: 'n1', ip: '10.0.0.31', state: 'failed', desiredState: 'shutdown' }),
      ],
    }),
  );
  return store;
}

describe('ingressTableFor', () => {
  it('lists every ingress port with its serving tasks cluster-wide by ingress address, sorted, and the node\'s own place', async () => {
    const store = await cluster();
    expect(ingressTableFor(store.view(), 'n1', store.view().get('networks', 'I'))).toEqual<IngressTable>({
      network: { id: 'I', subnet: '10.0.0.0/24', gateway: '10.0.0.1', nodeAddress: '10.0.0.2' },
      ports: [
        { publishedPort: 53, protocol: 'udp', serviceId: 'S1', backends: [{ ip: '10.0.0.11', port: 5353, taskId: 'T1' }, { ip: '10.0.0.12', port: 5353, taskId: 'T2' }] },
        { publishedPort: 7070, protocol: 'tcp', serviceId: 'S3', backends: [] },
        { publishedPort: 8080, protocol: 'tcp', serviceId: 'S1', backends: [{ ip: '10.0.0.11', port: 80, taskId: 'T1' }, { ip: '10.0.0.12', port: 80, taskId: 'T2' }] },
        { publishedPort: 9090, protocol: 'tcp', serviceId: 'S2', backends: [{ ip: '10.0.0.21', port: 90, taskId: 'H1' }] },
      ],
    });
  });

  it('leaves the network part out for a node with no ingress address, and the backends out with no ingress network', async () => {
    const store = await cluster();
    const view = store.view();
    expect(ingressTableFor(view, 'n3', view.get('networks', 'I')).network).toBeUndefined();
    const bare = ingressTableFor(view, 'n1', undefined);
    expect(bare.network).toBeUndefined();
    expect(bare.ports.every((p) => p.backends.length === 0)).toBe(true);
  });
});

describe('IngressTableCache', () => {
  async function watched() {
    const store = await cluster();
    const cache = new IngressTableCache(() => {});
    const seen: IngressAffected[] = [];
    store.watch((events: WatchEvent[]) => seen.push(cache.observe(events, store.view())));
    const table = (nodeId: string) => cache.tableFor(store.view(), nodeId);
    const fresh = (nodeId: string) => JSON.stringify(ingressTableFor(store.view(), nodeId, store.view().get('networks', 'I')));
    table('n1');
    return { store, cache, seen, table, fresh };
  }

  it('gives each node the same text as a fresh build, and changes its key only when the table changes', async () => {
    const { store, seen, table, fresh } = await watched();
    expect(table('n1').json()).toBe(fresh('n1'));
    expect(table('n3').json()).toBe(fresh('n3'));
    const before = table('n1').key;

    // Status chatter (a message) touches nothing.
    await store.update((tx) => {
      const t = tx.get('tasks', 'T1')!;
      tx.update('tasks', { ...t, status: { ...t.status, message: 'still running' } });
    });
    expect(seen.at(-1)).toEqual({ everyNode: false, nodes: new Set() });
    expect(table('n1').key).toBe(before);

    // A task turning healthy joins its port on every node.
    await store.update((tx) => {
      const t = tx.get('tasks', 'H2')!;
      tx.update('tasks', { ...t, status: { ...t.status, health: 'healthy' } });
    });
    expect(seen.at(-1)!.everyNode).toBe(true);
    expect(table('n1').key).not.toBe(before);
    expect(table('n1').json()).toBe(fresh('n1'));
    expect(JSON.parse(table('n2').json()).ports.find((p: { publishedPort: number }) => p.publishedPort === 9090).backends.map((b: { taskId: string }) => b.taskId)).toEqual(['H1', 'H2']);
  });

  it('follows nodes going down, services going away and the ingress network going away', async () => {
    const { store, seen, table, fresh } = await watched();
    await store.update((tx) => {
      const n = tx.get('nodes', 'n2')!;
      tx.update('nodes', { ...n, status: { ...n.status, state: 'down' } });
    });
    expect(table('n1').json()).toBe(fresh('n1'));
    expect(table('n1').json()).not.toContain('10.0.0.12');
    await store.update((tx) => tx.remove('services', 'S3'));
    expect(table('n1').json()).not.toContain('7070');
    await store.update((tx) => {
      const n = tx.get('nodes', 'n3')!;
      tx.update('nodes', { ...n, ingress: { networkId: 'I', address: '10.0.0.5/24' } });
    });
    expect(seen.at(-1)!.nodes).toEqual(new Set(['n3']));
    expect(JSON.parse(table('n3').json()).network.nodeAddress).toBe('10.0.0.5');
    // Replaced by a new ingress network (removing it alone is refused while services publish):
    // the tasks' and nodes' addresses are on the old one until the allocator moves them.
    await store.update((tx) => {
      tx.remove('networks', 'I');
      tx.create('networks', { ...INGRESS, id: 'J', allocation: { subnet: '10.1.0.0/24', gateway: '10.1.0.1', vxlanId: 0x400001 } });
    });
    expect(seen.at(-1)!.everyNode).toBe(true);
    expect(JSON.parse(table('n1').json())).toEqual({ ports: [{ publishedPort: 53, protocol: 'udp', serviceId: 'S1', backends: [] }, { publishedPort: 8080, protocol: 'tcp', serviceId: 'S1', backends: [] }, { publishedPort: 9090, protocol: 'tcp', serviceId: 'S2', backends: [] }] });
  });
});
