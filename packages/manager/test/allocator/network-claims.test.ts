import { seededRng, type Task } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { createNetwork, removeNetwork } from '../../src/control/networks.js';
import { createService } from '../../src/control/services.js';
import { makeTask } from '../scheduler/fixtures.js';
import { batchingStore, networkSpec, serviceSpec } from './fixtures.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const reasonOf = (o: PromiseSettledResult<unknown>) => (o.status === 'rejected' ? (o.reason as Error).message : 'ok');
/** Settled at once, so a rejection that comes before the test awaits it is not unhandled. */
const settled = <T>(p: Promise<T>) => Promise.allSettled([p]).then(([o]) => o!);

/** Writes built on one view, applied in one entry: the apply-time checks let only the first through. */
describe('network claims at apply time', () => {
  it('never commits one subnet or VXLAN ID twice; the loser is built again on the new view', async () => {
    const { store, flush } = batchingStore();
    const rng = seededRng(1);
    const a = settled(createNetwork(store, rng, networkSpec('a')));
    const b = settled(createNetwork(store, rng, networkSpec('b')));
    const c = settled(createNetwork(store, rng, networkSpec('c', { subnet: '10.0.0.0/16' })));
    flush();
    await tick();
    flush();
    await tick();
    flush();
    const outcomes = await Promise.all([a, b, c]);
    expect(outcomes.map(reasonOf)).toEqual(['ok', 'ok', 'subnet 10.0.0.0/16 overlaps network a (10.0.0.0/24)']);
    const allocations = store.view().list('networks').map((n) => n.allocation!);
    expect(allocations.map((x) => x.subnet).sort()).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
    expect(new Set(allocations.map((x) => x.vxlanId)).size).toBe(2);
  });

  it('never commits one VIP twice', async () => {
    const { store, flush } = batchingStore();
    const rng = seededRng(2);
    const net = createNetwork(store, rng, networkSpec('back'));
    flush();
    await net;
    const web = createService(store, rng, serviceSpec('web', ['back']));
    const api = createService(store, rng, serviceSpec('api', ['back']));
    flush();
    await tick();
    flush();
    const [w, a] = await Promise.all([web, api]);
    expect([w.endpoint!.virtualIps[0]!.address, a.endpoint!.virtualIps[0]!.address]).toEqual(['10.0.0.2/24', '10.0.0.3/24']);
  });

  it('commits every one of 20 service creates racing on one network, each with its own VIP (two stack deploys at once)', async () => {
    const { store, flush } = batchingStore();
    const rng = seededRng(3);
    const net = createNetwork(store, rng, networkSpec('back'));
    flush();
    await net;
    const creates = Array.from({ length: 20 }, (_, i) => settled(createService(store, rng, serviceSpec(`s${i}`, ['back']))));
    // Each round, the writes built on one view go into one entry; only one of them wins each VIP.
    for (let round = 0; round < 25; round++) {
      flush();
      await tick();
    }
    const outcomes = await Promise.all(creates);
    expect(outcomes.map(reasonOf)).toEqual(Array.from({ length: 20 }, () => 'ok'));
    const vips = store.view().list('services').map((s) => s.endpoint!.virtualIps[0]!.address);
    expect(new Set(vips).size).toBe(20);
  });

  it('refuses to remove a network a service joins in the same entry, either way round', async () => {
    for (const order of ['service first', 'network first'] as const) {
      const { store, flush } = batchingStore();
      const rng = seededRng(3);
      const net = createNetwork(store, rng, networkSpec('back'));
      flush();
      await net;
      const service = () => settled(createService(store, rng, serviceSpec('web', ['back'])));
      const writes = order === 'service first' ? [service(), settled(removeNetwork(store, 'back'))] : [settled(removeNetwork(store, 'back')), service()];
      flush();
      await tick();
      flush();
      const outcomes = (await Promise.all(writes)).map(reasonOf);
      expect(outcomes).toEqual(order === 'service first' ? ['ok', 'network back is in use by service web'] : ['ok', 'network back not found']);
    }
  });

  it('never commits one task address twice on a network, but lets a task take an address freed in the same transaction', async () => {
    const { store, flush } = batchingStore();
    const rng = seededRng(4);
    const created = createNetwork(store, rng, networkSpec('back'));
    flush();
    const net = await created;
    const attach = (task: Task, address: string): Task => ({ ...task, networks: [{ networkId: net.id, name: 'back', address, aliases: [], allocation: net.allocation!, internal: false, attachable: false, driverOpts: {} }] });
    const strip = ({ meta: _m, ...rest }: Task) => rest;
    const one = store.update((tx) => tx.create('tasks', strip(attach(makeTask('t1', { state: 'pending', nodeId: '' }), '10.0.0.5/24'))));
    const two = store.update((tx) => tx.create('tasks', strip(attach(makeTask('t2', { state: 'pending', nodeId: '' }), '10.0.0.5/24'))));
    flush();
    expect((await Promise.allSettled([one, two])).map(reasonOf)).toEqual(['ok', 'address 10.0.0.5 on network back is already in use']);
    // A status update claims nothing new; a dead task frees its address, which another may take in the same transaction.
    const swap = store.update((tx) => {
      const t1 = tx.get('tasks', 't1')!;
      tx.update('tasks', { ...t1, status: { ...t1.status, state: 'failed' } });
      tx.create('tasks', strip(attach(makeTask('t3', { state: 'pending', nodeId: '' }), '10.0.0.5/24')));
    });
    flush();
    await swap;
    expect(store.view().byIndex('tasks', 'address', `${net.id}|10.0.0.5`).map((t) => t.id)).toEqual(['t3']);
  });
});
