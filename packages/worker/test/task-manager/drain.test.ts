import { describe, expect, it } from 'vitest';
import { manualClock, type Task, type TaskStatus } from '@shoal/common';
import { FakeRuntime, Worker, type Timers } from '@shoal/worker';
import { makeTask, until } from '../helpers/make-task.js';

/** Timers whose sleeps end only when the test says so, recording how long each was asked for. */
function heldTimers() {
  const asked: number[] = [];
  const release: (() => void)[] = [];
  const timers: Timers = {
    sleep: (ms) => {
      asked.push(ms);
      return new Promise<void>((r) => release.push(r));
    },
  };
  return { timers, asked, releaseAll: () => release.splice(0).forEach((r) => r()) };
}

function onOverlay(t: Task): Task {
  const allocation = { subnet: '10.0.0.0/24', gateway: '10.0.0.1', vxlanId: 4_194_304 };
  return { ...t, networks: [{ networkId: 'n1', name: 'ingress', address: '10.0.0.7/24', aliases: [], allocation, internal: false, attachable: false, driverOpts: {} }] };
}

function setup(drainMs?: number) {
  const rt = new FakeRuntime();
  const held = heldTimers();
  const reports: [string, TaskStatus][] = [];
  const worker = new Worker({ nodeId: 'node1', executor: rt, clock: manualClock(0), timers: held.timers, ...(drainMs === undefined ? {} : { drainMs }), onStatus: (id, s) => reports.push([id, s]) });
  const states = (id: string) => reports.filter(([t]) => t === id).map(([, s]) => s.state);
  return { rt, worker, held, states };
}

describe('draining a task before its container stops', () => {
  it('keeps a running task on an overlay network running for drainMs after it is told to stop', async () => {
    const { rt, worker, held, states } = setup(700);
    await worker.start();
    const task = onOverlay(makeTask('t1'));
    worker.setAssignments([task]);
    await until(() => states('t1').includes('running'));
    worker.updateAssignments([{ ...task, desiredState: 'shutdown' }], []);
    await until(() => held.asked.includes(700));
    expect(rt.containerOf('t1')!.running, 'stopped before the drain ended').toBe(true);
    held.releaseAll();
    await until(() => states('t1').includes('shutdown'));
    expect(rt.containerOf('t1')!.running).toBe(false);
    await worker.stop();
  });

  it('stops a task on no overlay network at once', async () => {
    const { rt, worker, held, states } = setup(700);
    await worker.start();
    const task = makeTask('t1');
    worker.setAssignments([task]);
    await until(() => states('t1').includes('running'));
    worker.updateAssignments([{ ...task, desiredState: 'shutdown' }], []);
    await until(() => states('t1').includes('shutdown'));
    expect(held.asked).toEqual([]);
    expect(rt.containerOf('t1')!.running).toBe(false);
    await worker.stop();
  });
});
