import { seededRng, type Task, type TaskState } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { localStore, makeNode, makeService, makeSpec, manualSchedule } from '../scheduler/fixtures.js';

function strip<T extends { meta: unknown }>(o: T): Omit<T, 'meta'> {
  const { meta: _m, ...rest } = o;
  return rest;
}

function setup() {
  const { store, clock } = localStore();
  const timers = manualSchedule();
  const rng = seededRng(11);
  const orchestrator = new Orchestrator({ store, clock, rng, schedule: (ms, fn) => timers.delayed(ms, fn, clock.now()) });
  const scheduler = new Scheduler({ store, clock, rng, schedule: (fn) => timers.hook(fn) });
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      timers.runDue(clock.now());
      await orchestrator.whenIdle();
      await scheduler.whenIdle();
    }
  };
  const tasks = () => store.view().list('tasks');
  const live = () => tasks().filter((t) => t.desiredState === 'running');
  /** What a worker would report. */
  const report = (task: Task, state: TaskState) =>
    store.update((tx) => {
      const current = tx.get('tasks', task.id)!;
      tx.update('tasks', { ...current, status: { ...current.status, state, timestamp: new Date(clock.now()).toISOString() } });
    });
  return { store, clock, orchestrator, scheduler, settle, tasks, live, report };
}

describe('Orchestrator loop', () => {
  it('creates, schedules, restarts after the delay, scales down and removes', async () => {
    const t = setup();
    const spec = makeSpec((s) => (s.restartPolicy.delayMs = 5_000));
    await t.store.update((tx) => {
      tx.create('nodes', strip(makeNode('a')));
      tx.create('nodes', strip(makeNode('b')));
      tx.create('services', strip(makeService('web', { replicas: 3, spec })));
    });
    t.orchestrator.start();
    t.scheduler.start();
    await t.settle();
    expect(t.live().map((x) => [x.slot, x.status.state]).sort()).toEqual([[1, 'assigned'], [2, 'assigned'], [3, 'assigned']]);

    const victim = t.live().find((x) => x.slot === 2)!;
    await t.report(victim, 'failed');
    await t.settle();
    expect(t.live().filter((x) => x.slot === 2).map((x) => x.id)).toEqual([victim.id]);
    t.clock.advance(5_000);
    await t.settle();
    const slot2 = t.tasks().filter((x) => x.slot === 2);
    expect(slot2).toHaveLength(2);
    expect(t.store.view().get('tasks', victim.id)!.desiredState).toBe('shutdown');
    expect(slot2.find((x) => x.id !== victim.id)!.status.state).toBe('assigned');

    await t.store.update((tx) => {
      const svc = tx.get('services', 'web')!;
      tx.update('services', { ...svc, spec: { ...svc.spec, mode: { kind: 'replicated', replicas: 1 } } });
    });
    await t.settle();
    expect(t.live().map((x) => x.slot)).toEqual([1]);

    await t.store.update((tx) => tx.remove('services', 'web'));
    await t.settle();
    expect(t.tasks().filter((x) => x.desiredState !== 'remove' && x.status.state === 'assigned')).toEqual([]);
    for (const task of t.tasks()) if (task.status.state === 'assigned') await t.report(task, 'shutdown');
    await t.settle();
    expect(t.tasks()).toEqual([]);
    t.orchestrator.stop();
    t.scheduler.stop();
  });

  it('replaces the tasks of a node that goes down at once', async () => {
    const t = setup();
    await t.store.update((tx) => {
      tx.create('nodes', strip(makeNode('a')));
      tx.create('services', strip(makeService('web', { replicas: 2 })));
    });
    t.orchestrator.start();
    t.scheduler.start();
    await t.settle();
    expect(t.live().every((x) => x.nodeId === 'a')).toBe(true);
    await t.store.update((tx) => {
      tx.create('nodes', strip(makeNode('b')));
      const a = tx.get('nodes', 'a')!;
      tx.update('nodes', { ...a, status: { ...a.status, state: 'down' } });
    });
    await t.settle();
    expect(t.live().map((x) => x.nodeId)).toEqual(['b', 'b']);
    const stale = t.tasks().filter((x) => x.nodeId === 'a');
    expect(stale.map((x) => x.desiredState)).toEqual(['shutdown', 'shutdown']);

    // The node comes back: nothing new is created, its stale tasks stay shut down and it stops them.
    await t.store.update((tx) => {
      const a = tx.get('nodes', 'a')!;
      tx.update('nodes', { ...a, status: { ...a.status, state: 'ready' } });
    });
    await t.settle();
    expect(t.tasks()).toHaveLength(4);
    expect(t.live().map((x) => x.nodeId)).toEqual(['b', 'b']);
    for (const task of stale) await t.report(task, 'shutdown');
    await t.settle();
    expect(t.tasks()).toHaveLength(4);
    expect(t.tasks().filter((x) => x.nodeId === 'a').map((x) => [x.status.state, x.desiredState])).toEqual([
      ['shutdown', 'shutdown'],
      ['shutdown', 'shutdown'],
    ]);
    t.orchestrator.stop();
    t.scheduler.stop();
  });

  it('drains a node make-before-break: the old tasks stop only once their replacements run', async () => {
    const t = setup();
    await t.store.update((tx) => {
      tx.create('nodes', strip(makeNode('a')));
      tx.create('services', strip(makeService('web', { replicas: 2 })));
    });
    t.orchestrator.start();
    t.scheduler.start();
    await t.settle();
    const old = t.live();
    for (const task of old) await t.report(task, 'running');
    await t.store.update((tx) => {
      tx.create('nodes', strip(makeNode('b')));
      const a = tx.get('nodes', 'a')!;
      tx.update('nodes', { ...a, spec: { ...a.spec, availability: 'drain' } });
    });
    await t.settle();
    const moving = t.live().sort((x, y) => x.slot - y.slot || x.nodeId.localeCompare(y.nodeId));
    expect(moving.map((x) => [x.slot, x.nodeId, x.status.state])).toEqual([
      [1, 'a', 'running'],
      [1, 'b', 'assigned'],
      [2, 'a', 'running'],
      [2, 'b', 'assigned'],
    ]);
    const [first, second] = moving.filter((x) => x.nodeId === 'b');
    await t.report(first!, 'running');
    await t.settle();
    // Only the slot whose replacement runs lets its old task go.
    expect(t.live().filter((x) => x.nodeId === 'a').map((x) => x.slot)).toEqual([second!.slot]);
    await t.report(second!, 'running');
    await t.settle();
    expect(t.live().map((x) => x.nodeId)).toEqual(['b', 'b']);
    expect(old.map((x) => t.store.view().get('tasks', x.id)!.desiredState)).toEqual(['shutdown', 'shutdown']);
    t.orchestrator.stop();
    t.scheduler.stop();
  });
});
