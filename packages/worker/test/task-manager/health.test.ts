import { describe, expect, it } from 'vitest';
import { manualClock, type Task, type TaskStatus } from '@shoal/common';
import { FakeRuntime, Worker, hasHealthcheck, type Timers } from '@shoal/worker';
import { makeTask, until } from '../helpers/make-task.js';

const immediate: Timers = { sleep: () => Promise.resolve() };
const HEALTHCHECK = { test: ['CMD-SHELL', 'true'], intervalMs: 1_000, timeoutMs: 1_000, retries: 1, startPeriodMs: 0 };

function withHealthcheck(t: Task, test = HEALTHCHECK.test): Task {
  return { ...t, spec: { ...t.spec, container: { ...t.spec.container, healthcheck: { ...HEALTHCHECK, test } } } };
}

function setup() {
  const rt = new FakeRuntime();
  const reports: [string, TaskStatus][] = [];
  const worker = new Worker({ nodeId: 'node1', executor: rt, clock: manualClock(0), timers: immediate, onStatus: (id, s) => reports.push([id, s]) });
  const of = (id: string) => reports.filter(([t]) => t === id).map(([, s]) => `${s.state}${s.health ? `/${s.health}` : ''}`);
  return { rt, worker, of };
}

describe('task health', () => {
  it('reports a task with a healthcheck as running/starting, then each change of its health', async () => {
    const { rt, worker, of } = setup();
    await worker.start();
    worker.setAssignments([withHealthcheck(makeTask('t1'))]);
    await until(() => of('t1').includes('running/starting'));
    expect(rt.setHealth('t1', 'healthy')).toBe(true);
    await until(() => of('t1').includes('running/healthy'));
    rt.setHealth('t1', 'healthy'); // no change: no report
    rt.setHealth('t1', 'unhealthy');
    await until(() => of('t1').includes('running/unhealthy'));
    expect(of('t1').filter((s) => s === 'running/healthy')).toHaveLength(1);
    expect(worker.statuses().get('t1')?.health).toBe('unhealthy');
    await worker.stop();
  });

  it('stops watching when the task ends, and reports no health after its exit', async () => {
    const { rt, worker, of } = setup();
    await worker.start();
    worker.setAssignments([withHealthcheck(makeTask('t1'))]);
    await until(() => of('t1').includes('running/starting'));
    const c = rt.containerOf('t1')!;
    await until(() => c.healthListeners.size === 1);
    c.exit(1);
    await until(() => of('t1').some((s) => s.startsWith('failed')));
    await until(() => c.healthListeners.size === 0);
    c.setHealth('healthy');
    await new Promise((r) => setImmediate(r));
    expect(of('t1').filter((s) => s.startsWith('running'))).toEqual(['running/starting']);
    await worker.stop();
  });

  it('neither watches nor reports health for a task without a healthcheck (or with ["NONE"])', async () => {
    const { rt, worker, of } = setup();
    await worker.start();
    worker.setAssignments([makeTask('t1'), withHealthcheck(makeTask('t2'), ['NONE'])]);
    await until(() => of('t1').includes('running') && of('t2').includes('running'));
    rt.setHealth('t1', 'healthy');
    await new Promise((r) => setImmediate(r));
    expect(of('t1').filter((s) => s.startsWith('running'))).toEqual(['running']);
    expect(rt.calls.filter((c) => c.startsWith('watchHealth'))).toEqual([]);
    expect(hasHealthcheck(withHealthcheck(makeTask('t3')))).toBe(true);
    await worker.stop();
  });

  it('reports the health a container already had when its task is adopted', async () => {
    const { rt, worker, of } = setup();
    const c = rt.seed('t1', 'node1');
    c.setHealth('healthy');
    await worker.start();
    worker.setAssignments([withHealthcheck(makeTask('t1', { state: 'running' }))]);
    await until(() => of('t1').includes('running/healthy'));
    await worker.stop();
  });
});
