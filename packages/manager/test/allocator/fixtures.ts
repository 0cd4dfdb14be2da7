import { seededRng, type NetworkSpec, type ServiceSpec, type Task, type TaskState } from '@shoal/common';
import { Allocator } from '../../src/allocator/allocator.js';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { MemoryStore, type Proposer, type StoreAction, type TransactionResult } from '../../src/store/index.js';
import { localStore, makeService, manualSchedule } from '../scheduler/fixtures.js';

export function networkSpec(name: string, o: { subnet?: string; gateway?: string } = {}): NetworkSpec {
  return {
    annotations: { name, labels: {} },
    driver: 'overlay',
    attachable: false,
    internal: false,
    ingress: false,
    driverOpts: {},
    ipam: o.subnet ? [{ subnet: o.subnet, ...(o.gateway ? { gateway: o.gateway } : {}) }] : [],
  };
}

export function serviceSpec(name: string, networks: string[], o: { replicas?: number; global?: boolean; mode?: 'vip' | 'dnsrr' } = {}): ServiceSpec {
  const base = makeService('x', { replicas: o.replicas ?? 1, global: o.global ?? false }).spec;
  return {
    ...base,
    annotations: { name, labels: {} },
    task: { ...base.task, networks: networks.map((target) => ({ target, aliases: [name] })) },
    endpoint: { ports: [], ...(o.mode ? { mode: o.mode } : {}) },
  };
}

/** The leader's loops (orchestrator, allocator, scheduler) over a store that applies each write at once. */
export function leaderLoops() {
  const { store, clock } = localStore();
  const timers = manualSchedule();
  const rng = seededRng(7);
  const orchestrator = new Orchestrator({ store, clock, rng, schedule: (ms, fn) => timers.delayed(ms, fn, clock.now()) });
  const allocator = new Allocator({ store, clock, schedule: (fn) => timers.hook(fn) });
  const scheduler = new Scheduler({ store, clock, rng, schedule: (fn) => timers.hook(fn) });
  const settle = async () => {
    for (let i = 0; i < 30; i++) {
      timers.runDue(clock.now());
      await orchestrator.whenIdle();
      await allocator.whenIdle();
      await scheduler.whenIdle();
    }
  };
  const start = () => {
    orchestrator.start();
    allocator.start();
    scheduler.start();
  };
  const report = (task: Task, state: TaskState) =>
    store.update((tx) => {
      const current = tx.get('tasks', task.id)!;
      tx.update('tasks', { ...current, status: { ...current.status, state, timestamp: new Date(clock.now()).toISOString() } });
    });
  return { store, clock, rng, orchestrator, allocator, scheduler, settle, start, report };
}

/**
 * A store whose proposer holds transactions until `flush`, then applies them all in one entry, as
 * Raft batches proposals that arrive together: the transactions were all built on one view.
 */
export function batchingStore() {
  const store = new MemoryStore();
  let index = 0;
  let held: { actions: StoreAction[]; resolve: (r: TransactionResult) => void }[] = [];
  const proposer: Proposer = {
    propose: (actions) => new Promise((resolve) => held.push({ actions, resolve })),
    async close() {},
  };
  store.setProposer(proposer);
  const flush = () => {
    const batch = held;
    held = [];
    const results = store.applyEntry({ index: ++index, time: 1_700_000_000_000, transactions: batch.map((h) => h.actions) });
    batch.forEach((h, i) => h.resolve(results[i]!));
  };
  return { store, flush };
}
