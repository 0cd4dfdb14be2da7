import { describe, expect, it } from 'vitest';
import { manualClock, taskStateRank, type Task, type TaskState } from '@shoal/common';
import { doTask, FakeRuntime } from '@shoal/worker';
import { makeTask } from '../helpers/make-task.js';

const clock = manualClock(Date.UTC(2024, 0, 1));

async function stepUntil(task: Task, rt: FakeRuntime, stop: TaskState): Promise<{ task: Task; states: TaskState[] }> {
  const ctl = rt.controllerFor(task);
  const states: TaskState[] = [];
  while (task.status.state !== stop) {
    const status = await doTask(task, ctl, clock);
    if (status === task.status) break;
    states.push(status.state);
    task = { ...task, status };
  }
  return { task, states };
}

describe('doTask', () => {
  it('moves an assigned task step by step to running', async () => {
    const rt = new FakeRuntime();
    const { task, states } = await stepUntil(makeTask('t1'), rt, 'running');
    expect(states).toEqual(['accepted', 'preparing', 'ready', 'starting', 'running']);
    expect(task.status.containerId).toBe(rt.containerOf('t1')!.id);
    expect(task.status.containerIp).toBe(rt.containerOf('t1')!.ip);
    expect(task.status.timestamp).toBe('2024-01-01T00:00:00.000Z');
    expect(rt.containerOf('t1')!.running).toBe(true);
  });

  it('completes on exit 0 and fails with the exit code otherwise', async () => {
    for (const [code, state] of [[0, 'complete'], [3, 'failed']] as const) {
      const rt = new FakeRuntime();
      const { task } = await stepUntil(makeTask('t1'), rt, 'running');
      const pending = doTask(task, rt.controllerFor(task), clock);
      rt.containerOf('t1')!.exit(code);
      const status = await pending;
      expect(status.state).toBe(state);
      expect(status.exitCode).toBe(code);
      if (code !== 0) expect(status.err).toBe('task: non-zero exit (3)');
    }
  });

  it('rejects a task whose preparation fails, with the error', async () => {
    const rt = new FakeRuntime({ images: ['shoal/hello:latest'] });
    const task = makeTask('t1', { state: 'preparing', image: 'foo:1' });
    const status = await doTask(task, rt.controllerFor(task), clock);
    expect(status.state).toBe('rejected');
    expect(status.err).toMatch(/^No such image: foo:1 \(and it could not be pulled/);
  });

  it('shuts a running task down when its desired state is shutdown', async () => {
    const rt = new FakeRuntime();
    const { task } = await stepUntil(makeTask('t1'), rt, 'running');
    const status = await doTask({ ...task, desiredState: 'shutdown' }, rt.controllerFor(task), clock);
    expect(status.state).toBe('shutdown');
    expect(rt.containerOf('t1')!.running).toBe(false);
    expect(rt.calls).toContain('shutdown t1');
  });

  it('shuts down a task that never started', async () => {
    const rt = new FakeRuntime();
    const status = await doTask(makeTask('t1', { desired: 'remove' }), rt.controllerFor(makeTask('t1')), clock);
    expect(status.state).toBe('shutdown');
  });

  it('never moves a terminal task, whatever its desired state', async () => {
    const rt = new FakeRuntime();
    for (const state of ['complete', 'failed', 'shutdown', 'rejected', 'orphaned'] as const) {
      for (const desired of ['running', 'shutdown', 'remove'] as const) {
        const task = makeTask('t1', { state, desired });
        expect(await doTask(task, rt.controllerFor(task), clock)).toBe(task.status);
      }
    }
    expect(rt.calls).toEqual([]);
  });

  it('waits at ready while the desired state is ready', async () => {
    const rt = new FakeRuntime();
    const task = makeTask('t1', { state: 'ready', desired: 'ready' });
    expect(await doTask(task, rt.controllerFor(task), clock)).toBe(task.status);
  });

  it('never returns an earlier state than the one it was given', async () => {
    const rt = new FakeRuntime();
    const order = ['assigned', 'accepted', 'preparing', 'ready', 'starting', 'running'] as const;
    const { task: running } = await stepUntil(makeTask('t1'), rt, 'running');
    for (const state of order) {
      const task = { ...running, status: { ...running.status, state } };
      const pending = doTask(task, rt.controllerFor(task), clock);
      if (state === 'running') rt.containerOf('t1')!.exit(0);
      const next = await pending;
      expect(taskStateRank(next.state)).toBeGreaterThan(taskStateRank(state));
    }
  });
});
