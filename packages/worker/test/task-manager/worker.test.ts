import { describe, expect, it } from 'vitest';
import { manualClock, type TaskStatus } from '@shoal/common';
import type { Task } from '@shoal/common';
import { FakeRuntime, Worker, type Executor, type Timers } from '@shoal/worker';
import { makeTask, until } from '../helpers/make-task.js';

const immediate: Timers = { sleep: () => Promise.resolve() };

function setup(rt = new FakeRuntime()) {
  const reports: [string, TaskStatus][] = [];
  const worker = new Worker({ nodeId: 'node1', executor: rt, clock: manualClock(0), timers: immediate, onStatus: (id, s) => reports.push([id, s]) });
  const stateOf = (id: string) => worker.statuses().get(id)?.state;
  const reported = (id: string) => reports.filter(([t]) => t === id).map(([, s]) => s.state);
  return { rt, worker, reports, stateOf, reported };
}

/** A FakeRuntime whose prepares (container creates) wait for `release()`; counts those in flight. */
function gatedRuntime() {
  const rt = new FakeRuntime();
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const state = { inFlight: 0, maxInFlight: 0 };
  const executor: Executor = new Proxy(rt, {
    get(target, prop) {
      if (prop !== 'controllerFor') return Reflect.get(target, prop, target);
      return (task: Task) => {
        const inner = target.controllerFor(task);
        return new Proxy(inner, {
          get(c, p) {
            if (p !== 'prepare') return Reflect.get(c, p, c);
            return async () => {
              state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
              await gate;
              state.inFlight--;
              return c.prepare();
            };
          },
        });
      };
    },
  });
  return { rt, executor, state, release: () => open() };
}

describe('Worker', () => {
  it('creates the containers of all its newly assigned tasks at once (none waits for another)', async () => {
    const { executor, state, release } = gatedRuntime();
    const worker = new Worker({ nodeId: 'node1', executor, clock: manualClock(0), timers: immediate, onStatus: () => {} });
    await worker.start();
    const tasks = Array.from({ length: 10 }, (_, i) => makeTask(`t${i}`));
    worker.setAssignments(tasks);
    await until(() => state.inFlight === 10);
    expect(state.maxInFlight).toBe(10);
    release();
    await until(() => tasks.every((t) => worker.statuses().get(t.id)?.state === 'running'));
    await worker.stop();
  });

  it('runs assigned tasks and reports every step', async () => {
    const { rt, worker, stateOf, reported } = setup();
    await worker.start();
    worker.setAssignments([makeTask('t1'), makeTask('t2')]);
    await until(() => stateOf('t1') === 'running' && stateOf('t2') === 'running');
    expect(reported('t1')).toEqual(['accepted', 'preparing', 'ready', 'starting', 'running']);
    rt.containerOf('t1')!.exit(2);
    await until(() => stateOf('t1') === 'failed');
    expect(worker.statuses().get('t1')!.err).toBe('task: non-zero exit (2)');
    await worker.stop();
  });

  it('shuts down, then removes the container when the desired state becomes remove', async () => {
    const { rt, worker, stateOf } = setup();
    await worker.start();
    worker.setAssignments([makeTask('t1')]);
    await until(() => stateOf('t1') === 'running');
    worker.updateAssignments([makeTask('t1', { state: 'running', desired: 'shutdown' })], []);
    await until(() => stateOf('t1') === 'shutdown');
    expect(rt.containerOf('t1')).toBeDefined(); // kept for history
    worker.updateAssignments([makeTask('t1', { state: 'shutdown', desired: 'remove' })], []);
    await until(() => rt.containerOf('t1') === undefined);
    await worker.stop();
  });

  it('removes the container of a task that leaves the assignment set', async () => {
    const { rt, worker, stateOf } = setup();
    await worker.start();
    worker.setAssignments([makeTask('t1'), makeTask('t2')]);
    await until(() => stateOf('t1') === 'running' && stateOf('t2') === 'running');
    worker.setAssignments([makeTask('t2')]);
    await worker.settled();
    expect(rt.containerOf('t1')).toBeUndefined();
    expect(rt.containerOf('t2')!.running).toBe(true);
    worker.updateAssignments([], ['t2']);
    await worker.settled();
    expect(rt.containers.size).toBe(0);
  });

  it('keeps the locally observed status when the manager sends an older one', async () => {
    const { worker, stateOf, reported } = setup();
    await worker.start();
    worker.setAssignments([makeTask('t1')]);
    await until(() => stateOf('t1') === 'running');
    worker.setAssignments([makeTask('t1', { state: 'assigned' })]);
    await worker.settled();
    expect(stateOf('t1')).toBe('running');
    expect(reported('t1')).toEqual(['accepted', 'preparing', 'ready', 'starting', 'running']);
    await worker.stop();
  });

  it('adopts running containers without recreating them, and removes orphans', async () => {
    const rt = new FakeRuntime();
    const kept = rt.seed('t1', 'node1');
    const orphan = rt.seed('gone', 'node1');
    const foreign = rt.seed('other', 'node2');
    const { worker, reports } = setup(rt);
    await worker.start();
    worker.setAssignments([makeTask('t1', { state: 'running' })]);
    await worker.settled();
    await until(() => rt.calls.includes('wait t1'));
    expect(rt.containers.get(kept.id)!.running).toBe(true);
    expect(rt.calls.filter((c) => c.startsWith('prepare') || c.startsWith('start'))).toEqual([]);
    expect(reports).toEqual([]); // running is reported as it is: nothing changed
    expect(rt.containers.has(orphan.id)).toBe(false);
    expect(rt.containers.has(foreign.id)).toBe(true);
    kept.exit(0);
    await until(() => worker.statuses().get('t1')?.state === 'complete');
    await worker.stop();
  });

  it('adopts a container created before a crash mid-way: prepare and start are no-ops', async () => {
    const rt = new FakeRuntime();
    const c = rt.seed('t1', 'node1', false);
    const { worker, stateOf } = setup(rt);
    await worker.start();
    worker.setAssignments([makeTask('t1', { state: 'preparing' })]);
    await until(() => stateOf('t1') === 'running');
    expect(rt.containers.size).toBe(1);
    expect(worker.statuses().get('t1')!.containerId).toBe(c.id);
    await worker.stop();
  });

  it('leaves containers running on stop, and removes them all on removeAll', async () => {
    const { rt, worker, stateOf } = setup();
    await worker.start();
    worker.setAssignments([makeTask('t1')]);
    await until(() => stateOf('t1') === 'running');
    await worker.stop();
    expect(rt.containerOf('t1')!.running).toBe(true);
    await worker.removeAll();
    expect(rt.containers.size).toBe(0);
  });
});
