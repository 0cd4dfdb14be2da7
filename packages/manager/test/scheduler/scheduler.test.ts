import { seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { ASSIGNED_MESSAGE, Scheduler } from '../../src/scheduler/scheduler.js';
import { localStore, makeNode, makeSpec, makeTask, manualSchedule } from './fixtures.js';

function setup() {
  const { store, clock } = localStore();
  const timers = manualSchedule();
  const scheduler = new Scheduler({ store, clock, rng: seededRng(7), schedule: (fn) => timers.hook(fn) });
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      timers.runDue();
      await scheduler.whenIdle();
    }
  };
  const strip = <T extends { meta: unknown }>(o: T) => {
    const { meta: _m, ...rest } = o;
    return rest;
  };
  return { store, clock, scheduler, settle, strip };
}

describe('Scheduler loop', () => {
  it('assigns pending tasks in one transaction and leaves others alone', async () => {
    const { store, scheduler, settle, strip } = setup();
    await store.update((tx) => {
      tx.create('nodes', strip(makeNode('a')));
      tx.create('nodes', strip(makeNode('b')));
      for (let i = 1; i <= 4; i++) tx.create('tasks', strip(makeTask(`t${i}`, { slot: i, nodeId: '', state: 'pending' })));
      tx.create('tasks', strip(makeTask('shut', { slot: 9, nodeId: '', state: 'pending', desiredState: 'shutdown' })));
    });
    let transactions = 0;
    store.watch(() => transactions++);
    scheduler.start();
    await settle();
    const tasks = store.view().list('tasks');
    const assigned = tasks.filter((t) => t.status.state === 'assigned');
    expect(assigned).toHaveLength(4);
    expect(assigned.every((t) => t.status.message === ASSIGNED_MESSAGE)).toBe(true);
    expect(assigned.filter((t) => t.nodeId === 'a')).toHaveLength(2);
    expect(store.view().get('tasks', 'shut')?.status.state).toBe('pending');
    expect(transactions).toBe(1);
    scheduler.stop();
  });

  it('records why a task cannot be placed once, and places it when a node fits', async () => {
    const { store, scheduler, settle, strip } = setup();
    const spec = makeSpec((s) => (s.placement.constraints = ['node.labels.zone==eu']));
    await store.update((tx) => {
      tx.create('nodes', strip(makeNode('a', { labels: { zone: 'us' } })));
      tx.create('tasks', strip(makeTask('t1', { nodeId: '', state: 'pending', spec })));
    });
    scheduler.start();
    await settle();
    const waiting = store.view().get('tasks', 't1')!;
    expect(waiting.status).toMatchObject({ state: 'pending', err: 'no suitable node (scheduling constraints not satisfied on 1 node)' });
    const version = waiting.meta.version;
    await store.update((tx) => tx.create('tasks', strip(makeTask('t2', { slot: 2, nodeId: '', state: 'pending', spec }))));
    await settle();
    expect(store.view().get('tasks', 't1')!.meta.version).toBe(version);

    await store.update((tx) => tx.create('nodes', strip(makeNode('b', { labels: { zone: 'eu' } }))));
    await settle();
    for (const id of ['t1', 't2']) {
      const task = store.view().get('tasks', id)!;
      expect(task.nodeId).toBe('b');
      expect(task.status.state).toBe('assigned');
      expect(task.status.err).toBeUndefined();
    }
    scheduler.stop();
  });
});
