import { describe, expect, it } from 'vitest';
import { manualClock, type Task, type TaskState } from '@shoal/common';
import { doTask, FAIL_EXIT_CODE, FakeRuntime } from '@shoal/worker';
import { makeTask } from '../helpers/make-task.js';

const clock = manualClock(Date.UTC(2024, 0, 1));

/** Runs doTask until the task reaches `stop` or stops moving; returns the states it passed. */
async function run(task: Task, rt: FakeRuntime, stop: TaskState): Promise<TaskState[]> {
  const ctl = rt.controllerFor(task);
  const states: TaskState[] = [];
  while (task.status.state !== stop) {
    const status = await doTask(task, ctl, clock);
    if (status === task.status) break;
    states.push(status.state);
    task = { ...task, status };
  }
  return states;
}

const labelled = (id: string, labels: Record<string, string>): Task => {
  const t = makeTask(id);
  return { ...t, spec: { ...t.spec, container: { ...t.spec.container, labels } } };
};

describe('FakeRuntime for hollow nodes', () => {
  it('starts a container only after the start delay, through the injected timers', async () => {
    const slept: number[] = [];
    let wake: () => void = () => {};
    const rt = new FakeRuntime({ startDelayMs: 250, timers: { sleep: (ms) => new Promise<void>((r) => { slept.push(ms); wake = r; }) } });
    const done = run(makeTask('t1'), rt, 'running');
    for (let i = 0; i < 50 && slept.length === 0; i++) await new Promise<void>((r) => setImmediate(r));
    expect(slept).toEqual([250]);
    expect(rt.containerOf('t1')!.running).toBe(false);
    wake();
    expect(await done).toEqual(['accepted', 'preparing', 'ready', 'starting', 'running']);
    expect(rt.containerOf('t1')!.running).toBe(true);
  });

  it('fails the tasks its rule names, by image or by container label, and runs the others', async () => {
    const rt = new FakeRuntime({ fail: { images: ['broken:1'], label: 'bench.fail' } });
    const byImage = makeTask('t1', { image: 'broken:1' });
    const byLabel = labelled('t2', { 'bench.fail': '' });
    const fine = labelled('t3', { other: 'x' });
    expect(await run(byImage, rt, 'failed')).toContain('failed');
    expect(await run(byLabel, rt, 'failed')).toContain('failed');
    expect(rt.containerOf('t1')!.exitCode).toBe(FAIL_EXIT_CODE);
    expect(await run(fine, rt, 'running')).toEqual(['accepted', 'preparing', 'ready', 'starting', 'running']);
  });

  it('describes the node it was given, and finds containers by task after removals', async () => {
    const rt = new FakeRuntime({ description: { hostname: 'hollow-7', engineLabels: { zone: 'z2' } } });
    expect(await rt.describe()).toMatchObject({ hostname: 'hollow-7', engineLabels: { zone: 'z2' } });
    await run(makeTask('t1'), rt, 'running');
    const c = rt.containerOf('t1')!;
    await rt.removeContainer(c.id);
    expect(rt.containerOf('t1')).toBeUndefined();
    expect(rt.containers.size).toBe(0);
  });
});
