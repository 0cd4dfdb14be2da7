import { seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { buildNodeInfos } from '../../src/scheduler/node-info.js';
import { NodeSet } from '../../src/scheduler/node-set.js';
import { localStore, makeNode, makeSpec, makeTask, manualSchedule } from './fixtures.js';

const strip = <T extends { meta: unknown }>(o: T) => {
  const { meta: _m, ...rest } = o;
  return rest;
};

describe('Scheduler batches', () => {
  it('commits at most 2,000 assignments per transaction and places the rest in the next batches', async () => {
    const { store, clock } = localStore();
    const timers = manualSchedule();
    const scheduler = new Scheduler({ store, clock, rng: seededRng(3), schedule: (fn) => timers.hook(fn) });
    await store.update((tx) => {
      for (const id of ['a', 'b', 'c']) tx.create('nodes', strip(makeNode(id)));
      for (let i = 1; i <= 4_500; i++) tx.create('tasks', strip(makeTask(`t${i}`, { slot: i, nodeId: '', state: 'pending' })));
    });
    const sizes: number[] = [];
    store.watch((events) => sizes.push(events.length));
    scheduler.start();
    for (let i = 0; i < 10; i++) {
      timers.runDue();
      await scheduler.whenIdle();
    }
    expect(sizes).toEqual([2_000, 2_000, 500]);
    const perNode = buildNodeInfos(store.view().list('nodes'), store.view().list('tasks')).map((info) => info.tasks.length);
    expect(perNode).toEqual([1_500, 1_500, 1_500]);
    scheduler.stop();
  });

  it('keeps its node picture equal to one built from every task, through moves, failures and removals', async () => {
    const { store } = localStore();
    const nodeSet = new NodeSet();
    nodeSet.load(store.view());
    store.watch((events) => nodeSet.apply(events));
    const ports = makeSpec();
    const expectSame = () => {
      const scanned = buildNodeInfos(store.view().list('nodes'), store.view().list('tasks'));
      const kept = nodeSet.list();
      const shape = (infos: typeof kept) =>
        infos.map((i) => ({ node: i.node, tasks: i.tasks.map((t) => t.id).sort(), reserved: i.reserved, byService: [...i.tasksByService].sort() })).sort((x, y) => (x.node.id < y.node.id ? -1 : 1));
      expect(shape(kept)).toEqual(shape(scanned));
    };
    await store.update((tx) => {
      tx.create('nodes', strip(makeNode('a')));
      tx.create('nodes', strip(makeNode('b')));
      tx.create('tasks', strip(makeTask('t1', { nodeId: 'a', spec: ports })));
      tx.create('tasks', strip(makeTask('t2', { nodeId: 'a', serviceId: 's2' })));
      tx.create('tasks', strip(makeTask('t3', { nodeId: '', state: 'pending' })));
    });
    expectSame();
    await store.update((tx) => tx.update('tasks', { ...tx.get('tasks', 't3')!, nodeId: 'b', status: { ...tx.get('tasks', 't3')!.status, state: 'assigned' } }));
    expectSame();
    await store.update((tx) => tx.update('tasks', { ...tx.get('tasks', 't1')!, status: { ...tx.get('tasks', 't1')!.status, state: 'failed' } }));
    expectSame();
    await store.update((tx) => tx.update('tasks', { ...tx.get('tasks', 't2')!, desiredState: 'shutdown' }));
    expectSame();
    await store.update((tx) => {
      tx.remove('tasks', 't3');
      tx.remove('nodes', 'a');
      tx.create('nodes', strip(makeNode('c')));
    });
    expectSame();
    const b = store.view().get('nodes', 'b')!;
    await store.update((tx) => tx.update('nodes', { ...b, spec: { ...b.spec, availability: 'drain' } }));
    expectSame();
  });

  it('keeps a NodeInfo through status reports and grows it by a new placement, without a rebuild', async () => {
    const { store } = localStore();
    const nodeSet = new NodeSet();
    store.watch((events) => nodeSet.apply(events));
    await store.update((tx) => {
      tx.create('nodes', strip(makeNode('a')));
      tx.create('tasks', strip(makeTask('t1', { nodeId: 'a', state: 'assigned' })));
    });
    const [before] = nodeSet.list();
    await store.update((tx) => tx.update('tasks', { ...tx.get('tasks', 't1')!, status: { ...tx.get('tasks', 't1')!.status, state: 'running' } }));
    expect(nodeSet.list()[0]).toBe(before); // a status report changes nothing the scheduler counts
    await store.update((tx) => tx.create('tasks', strip(makeTask('t2', { nodeId: 'a', state: 'assigned', serviceId: 's2' }))));
    const [after] = nodeSet.list();
    expect(after!.tasks.map((t) => t.id)).toEqual(['t1', 't2']);
    expect([...after!.tasksByService].sort()).toEqual([...buildNodeInfos(store.view().list('nodes'), store.view().list('tasks'))[0]!.tasksByService].sort());
  });
});
