import { seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import type { ReadTx, Store } from '../../src/store/index.js';
import { localStore, makeNode, makeService, makeTask, manualSchedule } from '../scheduler/fixtures.js';

/** The store, with a record of which services the orchestrator read (it reads each one it plans). */
function recording(store: Store): { store: Store; planned: Set<string> } {
  const planned = new Set<string>();
  const view = (): ReadTx => {
    const inner = store.view();
    return new Proxy(inner, {
      get: (target, prop: keyof ReadTx) =>
        prop === 'get'
          ? (table: 'services', id: string) => {
              if (table === 'services') planned.add(id);
              return target.get(table, id);
            }
          : target[prop],
    });
  };
  return { store: { view, update: (fn) => store.update(fn), watch: (l, f) => store.watch(l, f) }, planned };
}

describe('Orchestrator on node events', () => {
  it('re-plans only the services with tasks on the node, and global services', async () => {
    const { store, clock } = localStore();
    await store.update((tx) => {
      for (const id of ['n1', 'n2']) tx.create('nodes', makeNode(id));
      for (const id of ['on1', 'on2', 'none']) tx.create('services', makeService(id, { replicas: 1 }));
      tx.create('services', makeService('glob', { global: true }));
      tx.create('tasks', makeTask('t1', { serviceId: 'on1', nodeId: 'n1', slot: 1 }));
      tx.create('tasks', makeTask('t2', { serviceId: 'on2', nodeId: 'n2', slot: 1 }));
      tx.create('tasks', makeTask('t3', { serviceId: 'none', nodeId: '', slot: 1, state: 'pending' }));
    });
    const timers = manualSchedule();
    const rec = recording(store);
    const orchestrator = new Orchestrator({ store: rec.store, clock, rng: seededRng(1), schedule: (ms, fn) => timers.delayed(ms, fn, clock.now()) });
    orchestrator.start();
    timers.runDue(clock.now());
    await orchestrator.whenIdle();
    rec.planned.clear();

    await store.update((tx) => {
      const n1 = tx.get('nodes', 'n1')!;
      tx.update('nodes', { ...n1, spec: { ...n1.spec, availability: 'drain' } });
    });
    timers.runDue(clock.now());
    await orchestrator.whenIdle();
    expect([...rec.planned].sort()).toEqual(['glob', 'on1']);
    orchestrator.stop();
  });
});
