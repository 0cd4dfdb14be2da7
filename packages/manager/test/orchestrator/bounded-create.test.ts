import { seededRng, type Task } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { MAX_NEW_TASKS_PER_PASS, newTaskBudget } from '../../src/orchestrator/create-budget.js';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { planService } from '../../src/orchestrator/plan-service.js';
import { reconcileReplicated } from '../../src/orchestrator/reconcile-replicated.js';
import { cluster } from '../store/fixtures.js';
import { localStore, makeNode, makeService, makeSpec, makeTask, manualSchedule } from '../scheduler/fixtures.js';

const nodes = [makeNode('n1')];
const NOW = 100_000;

function strip<T extends { meta: unknown }>(o: T): Omit<T, 'meta'> {
  const { meta: _m, ...rest } = o;
  return rest;
}

describe('bounded task creation', () => {
  it('a stored spec of 10^9 replicas plans one batch of new tasks, not 10^9', () => {
    const service = makeService('huge', { replicas: 1_000_000_000 });
    const plan = planService({ service, tasks: [], nodes, now: NOW, retentionLimit: 5 });
    expect(plan.create).toHaveLength(MAX_NEW_TASKS_PER_PASS);
    expect(plan.create.map((t) => t.slot)).toEqual(Array.from({ length: MAX_NEW_TASKS_PER_PASS }, (_, i) => i + 1));
  });

  it('the next pass fills the next empty slots', () => {
    const service = makeService('huge', { replicas: 1_000_000_000 });
    const tasks: Task[] = [1, 2, 4].map((slot) => makeTask(`t${slot}`, { slot, nodeId: 'n1' }));
    const plan = reconcileReplicated({ service, tasks, nodes, now: NOW, maxNewTasks: 3 });
    expect(plan.create.map((t) => t.slot)).toEqual([3, 5, 6]);
  });

  it('restarts in occupied slots count against the batch', () => {
    const service = makeService('s', { replicas: 10 });
    const dead = makeTask('t1', { slot: 1, nodeId: 'n1', state: 'failed', exitCode: 1, at: 1_000 });
    const plan = reconcileReplicated({ service, tasks: [dead], nodes, now: NOW, maxNewTasks: 3 });
    expect(plan.create.map((t) => t.slot)).toEqual([1, 2, 3]);
  });

  it('a service above the cluster limit is reconciled as if it asked for the limit', () => {
    const service = makeService('old', { replicas: 1_000_000_000 });
    const tasks: Task[] = [1, 2].map((slot) => makeTask(`t${slot}`, { slot, nodeId: 'n1' }));
    const plan = reconcileReplicated({ service, tasks, nodes, now: NOW, maxReplicas: 3 });
    expect(plan.create.map((t) => t.slot)).toEqual([3]);
  });

  it('a large spec makes smaller batches (bytes of new tasks per pass are bounded)', () => {
    const big = makeService('big', { replicas: 10_000, spec: makeSpec((s) => (s.container.env = ['X='.padEnd(400 * 1024, 'x')])) });
    expect(newTaskBudget(big)).toBe(10);
    expect(newTaskBudget(makeService('small', { replicas: 1 }))).toBe(MAX_NEW_TASKS_PER_PASS);
  });

  it('the loop keeps creating in later passes until every slot is filled', async () => {
    const { store, clock } = localStore();
    const timers = manualSchedule();
    const orchestrator = new Orchestrator({ store, clock, rng: seededRng(3), schedule: (ms, fn) => timers.delayed(ms, fn, clock.now()) });
    const replicas = MAX_NEW_TASKS_PER_PASS * 2 + 5;
    await store.update((tx) => {
      tx.create('nodes', strip(makeNode('a')));
      tx.create('services', strip(makeService('web', { replicas })));
    });
    orchestrator.start();
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      timers.runDue(clock.now());
      await orchestrator.whenIdle();
      counts.push(store.view().list('tasks').length);
    }
    orchestrator.stop();
    expect(counts).toEqual([1_000, 2_000, replicas, replicas, replicas]);
  });

  it('the loop reconciles a service stored above the cluster limit at the limit', async () => {
    const { store, clock } = localStore();
    const timers = manualSchedule();
    const orchestrator = new Orchestrator({ store, clock, rng: seededRng(5), schedule: (ms, fn) => timers.delayed(ms, fn, clock.now()) });
    await store.update((tx) => {
      tx.create('clusters', { ...cluster('c1'), spec: { ...cluster('c1').spec, maxReplicas: 3 } });
      tx.create('nodes', strip(makeNode('a')));
      tx.create('services', strip(makeService('old', { replicas: 1_000_000_000 })));
    });
    orchestrator.start();
    for (let i = 0; i < 3; i++) {
      timers.runDue(clock.now());
      await orchestrator.whenIdle();
    }
    orchestrator.stop();
    expect(store.view().list('tasks').map((t) => t.slot).sort()).toEqual([1, 2, 3]);
  });
});
