import { describe, expect, it } from 'vitest';
import type { Task } from '@shoal/common';
import { networkTableFor, MAX_ENDPOINTS_PER_NETWORK } from '../../src/dispatcher/network-table.js';
import { NetworkTableCache } from '../../src/dispatcher/network-table-cache.js';
import { hostOf } from '../../src/dispatcher/network-members.js';
import type { WatchEvent } from '../../src/store/types.js';
import { localStore } from '../scheduler/fixtures.js';
import { createAll, netService, netTask, network, node } from './network-fixtures.js';

const NET = network('N1', { name: 'app_back', subnet: '10.0.1.0/24' });
const web = netService('S1', { name: 'app_web', on: { app_back: { networkId: 'N1', aliases: ['web', 'front'], vip: '10.0.1.2/24' } } });
const db = netService('S2', { name: 'app_db', mode: 'dnsrr', on: { app_back: { networkId: 'N1', aliases: ['db'] } } });
const nodes = [node('n1', '10.99.0.11:2377'), node('n2', '10.99.0.12:2377'), node('n3', '[fd00::13]:2377')];

async function voting() {
  const { store } = localStore();
  await store.update((tx) =>
    createAll(tx, {
      networks: [NET],
      nodes,
      services: [web, db],
      tasks: [
        netTask('T2', { service: web, nodeId: 'n2', addresses: { N1: '10.0.1.10/24' } }),
        netTask('T1', { service: web, nodeId: 'n1', addresses: { N1: '10.0.1.9/24' } }),
        netTask('T3', { service: db, nodeId: 'n2', addresses: { N1: '10.0.1.11/24' } }),
      ],
    }),
  );
  return store;
}

describe('networkTableFor', () => {
  it('gives a node each network of its tasks with every service and every endpoint on it, sorted', async () => {
    const store = await voting();
    expect(networkTableFor(store.view(), 'n1')).toEqual({
      networks: [
        {
          id: 'N1',
          name: 'app_back',
          allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: 0x400001 },
          internal: false,
          attachable: false,
          driverOpts: {},
          services: [
            { id: 'S2', name: 'app_db', aliases: ['db'], endpointMode: 'dnsrr' },
            { id: 'S1', name: 'app_web', aliases: ['front', 'web'], endpointMode: 'vip', vip: '10.0.1.2' },
          ],
          endpoints: [
            { taskId: 'T1', serviceId: 'S1', address: '10.0.1.9', nodeId: 'n1', nodeAddr: '10.99.0.11', serving: true },
            { taskId: 'T2', serviceId: 'S1', address: '10.0.1.10', nodeId: 'n2', nodeAddr: '10.99.0.12', serving: true },
            { taskId: 'T3', serviceId: 'S2', address: '10.0.1.11', nodeId: 'n2', nodeAddr: '10.99.0.12', serving: true },
          ],
        },
      ],
    });
    expect(networkTableFor(store.view(), 'n2')).toEqual(networkTableFor(store.view(), 'n1'));
    expect(networkTableFor(store.view(), 'n3')).toEqual({ networks: [] });
  });

  it('gives every node each attachable network, tasks or not', async () => {
    const store = await voting();
    await store.update((tx) => tx.create('networks', network('N0', { name: 'shared', attachable: true, subnet: '10.0.2.0/24', vxlanId: 0x400002, opts: { z: '1', a: '2' } })));
    const n3 = networkTableFor(store.view(), 'n3');
    expect(n3.networks.map((n) => [n.name, n.endpoints.length])).toEqual([['shared', 0]]);
    expect(Object.keys(n3.networks[0]!.driverOpts)).toEqual(['a', 'z']);
    expect(networkTableFor(store.view(), 'n1').networks.map((n) => n.name)).toEqual(['shared', 'app_back']);
  });

  it('carries an encrypted network\'s keys, and their rotation, to the nodes on it', async () => {
    const store = await voting();
    const key = (id: number) => ({ id, keyB64: Buffer.alloc(32, id).toString('base64'), createdAt: id, sendFrom: id, notAfter: 1e12 });
    const rekey = (keys: ReturnType<typeof key>[]) =>
      store.update((tx) => {
        const n = tx.get('networks', 'N1')!;
        tx.update('networks', { ...n, spec: { ...n.spec, driverOpts: { encrypted: '' } }, keys });
      });
    expect(networkTableFor(store.view(), 'n1').networks[0]!.keys).toBeUndefined();
    await rekey([key(1)]);
    expect(networkTableFor(store.view(), 'n1').networks[0]!.keys).toEqual([key(1)]);
    await rekey([key(1), key(2)]);
    expect(networkTableFor(store.view(), 'n2').networks[0]!.keys!.map((k) => k.id)).toEqual([1, 2]);
    expect(networkTableFor(store.view(), 'n3').networks).toEqual([]); // no task there: no keys either
  });

  it('serves only running tasks meant to run, and healthy ones where the spec has a healthcheck', async () => {
    const { store } = localStore();
    const checked = netService('S1', { on: { app_back: { networkId: 'N1', vip: '10.0.1.2/24' } }, healthcheck: ['CMD', 'true'] });
    const unchecked = netService('S2', { on: { app_back: { networkId: 'N1', vip: '10.0.1.3/24' } }, healthcheck: ['NONE'] });
    const t = (id: string, o: Partial<Parameters<typeof netTask>[1]>) => netTask(id, { service: checked, addresses: { N1: `10.0.1.${10 + Number(id.slice(1))}/24` }, ...o });
    await store.update((tx) =>
      createAll(tx, {
        networks: [NET],
        nodes,
        services: [checked, unchecked],
        tasks: [
          t('T1', { health: 'healthy' }),
          t('T2', { health: 'starting' }),
          t('T3', { health: 'unhealthy' }),
          t('T4', {}),
          t('T5', { service: unchecked }),
          t('T6', { health: 'healthy', desiredState: 'shutdown' }),
          t('T7', { health: 'healthy', state: 'starting' }),
          t('T8', { state: 'failed' }),
          t('T9', { nodeId: '' }),
        ],
      }),
    );
    const endpoints = networkTableFor(store.view(), 'n1').networks[0]!.endpoints;
    expect(endpoints.map((e) => [e.taskId, e.serving])).toEqual([
      ['T1', true],
      ['T2', false],
      ['T3', false],
      ['T4', false],
      ['T5', true],
      ['T6', false],
      ['T7', false],
    ]);
  });

  it('drops what is removed: a stopped task, a removed service, a removed network', async () => {
    const store = await voting();
    const t2 = store.view().get('tasks', 'T2')!;
    await store.update((tx) => tx.update('tasks', { ...t2, status: { ...t2.status, state: 'shutdown' } }));
    await store.update((tx) => tx.remove('services', 'S2'));
    const table = networkTableFor(store.view(), 'n1').networks[0]!;
    expect(table.endpoints.map((e) => e.taskId)).toEqual(['T1', 'T3']);
    expect(table.services.map((s) => s.name)).toEqual(['app_web']);
    // The store refuses to remove a network a service still uses: the service goes first.
    await store.update((tx) => tx.remove('services', 'S1'));
    await store.update((tx) => tx.remove('networks', 'N1'));
    expect(networkTableFor(store.view(), 'n1')).toEqual({ networks: [] });
  });

  it('cuts a network at its bound, keeping serving endpoints first, and says so', async () => {
    const { store } = localStore();
    const big = network('N1', { name: 'big', subnet: '10.1.0.0/16' });
    const s = netService('S1', { on: { big: { networkId: 'N1' } } });
    const total = MAX_ENDPOINTS_PER_NETWORK + 5;
    const tasks: Task[] = [];
    for (let i = 0; i < total; i++) {
      tasks.push(netTask(`T${i}`, { service: s, state: i < 5 ? 'starting' : 'running', addresses: { N1: `10.1.${i >> 8}.${i & 255}/16` } }));
    }
    await store.update((tx) => createAll(tx, { networks: [big], nodes, services: [s], tasks }));
    const warnings: unknown[] = [];
    const cache = new NetworkTableCache((msg, fields) => warnings.push([msg, fields]));
    const table = JSON.parse(cache.tableFor(store.view(), 'n1').json());
    expect(table.networks[0].endpoints).toHaveLength(MAX_ENDPOINTS_PER_NETWORK);
    expect(table.networks[0].endpoints.every((e: { serving: boolean }) => e.serving)).toBe(true);
    expect(warnings).toEqual([['network table cut to its bounds', { network: 'big', droppedEndpoints: 5, droppedServices: 0 }]]);
  });
});

describe('NetworkTableCache', () => {
  it('stays equal to a fresh build through a run of changes, and ignores status chatter', async () => {
    const store = await voting();
    const cache = new NetworkTableCache(() => {});
    const seen: ReturnType<NetworkTableCache['observe']>[] = [];
    store.watch((events: WatchEvent[]) => seen.push(cache.observe(events, store.view())));
    const same = () => {
      for (const n of ['n1', 'n2', 'n3']) expect(cache.tableFor(store.view(), n).json()).toBe(JSON.stringify(networkTableFor(store.view(), n)));
    };
    same();
    const step = async (id: string, change: (t: Task) => Task) => {
      const t = store.view().get('tasks', id)!;
      await store.update((tx) => tx.update('tasks', change(t)));
      same();
      return seen.at(-1)!;
    };
    const chatter = await step('T1', (t) => ({ ...t, status: { ...t.status, message: 'still running' } }));
    expect([...chatter.networks, ...chatter.nodes]).toEqual([]);
    const stopped = await step('T2', (t) => ({ ...t, desiredState: 'shutdown' }));
    expect([...stopped.networks]).toEqual(['N1']);
    expect([...stopped.nodes]).toEqual([]);
    const ended = await step('T3', (t) => ({ ...t, status: { ...t.status, state: 'complete' } }));
    expect([...ended.nodes]).toEqual(['n2']);
    const moved = await step('T3', (t) => ({ ...t, nodeId: 'n3', status: { ...t.status, state: 'assigned' } }));
    expect([...moved.nodes]).toEqual(['n3']);
    expect(cache.tableFor(store.view(), 'n3').needed).toEqual(['N1']);
    const n2 = store.view().get('nodes', 'n2')!;
    await store.update((tx) => tx.update('nodes', { ...n2, status: { ...n2.status, addr: '10.99.0.22:2377' } }));
    expect([...seen.at(-1)!.networks]).toEqual(['N1']);
    same();
    const n1 = store.view().get('nodes', 'n1')!;
    await store.update((tx) => tx.update('nodes', { ...n1, status: { ...n1.status, state: 'down', message: 'heartbeat failure' } }));
    expect([...seen.at(-1)!.networks]).toEqual(['N1']);
    same();
    expect(networkTableFor(store.view(), 'n2').networks[0]!.endpoints.find((e) => e.taskId === 'T1')!.serving).toBe(false);
    const s1 = store.view().get('services', 'S1')!;
    // A VIP on another network touches N1 (the index over-approximates), but its text, and so its key, stay.
    await store.update((tx) => tx.create('networks', network('N9', { name: 'other', subnet: '10.0.9.0/24', vxlanId: 0x400009 })));
    const key = cache.tableFor(store.view(), 'n2').key;
    await store.update((tx) => tx.update('services', { ...s1, endpoint: { virtualIps: [...s1.endpoint!.virtualIps, { networkId: 'N9', address: '10.0.9.2/24' }] } }));
    expect([...seen.at(-1)!.networks]).toEqual(['N1']);
    expect(cache.tableFor(store.view(), 'n2').key).toBe(key);
    same();
    await store.update((tx) => tx.update('services', { ...store.view().get('services', 'S1')!, spec: { ...s1.spec, task: { ...s1.spec.task, networks: [{ target: 'app_back', aliases: ['w'] }] } } }));
    expect([...seen.at(-1)!.networks]).toEqual(['N1']);
    expect(cache.tableFor(store.view(), 'n2').key).not.toBe(key);
    same();
  });
});

describe('hostOf', () => {
  it('takes the host part of host:port, a bracketed IPv6 address, or a bare address', () => {
    expect(hostOf('10.99.0.2:2377')).toBe('10.99.0.2');
    expect(hostOf('[fd00::1]:2377')).toBe('fd00::1');
    expect(hostOf('fd00::1')).toBe('fd00::1');
    expect(hostOf('10.99.0.2')).toBe('10.99.0.2');
  });
});
