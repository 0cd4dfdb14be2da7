import { describe, expect, it } from 'vitest';
import { EngineSlots } from '../../src/task-manager/engine-slots.js';
import type { Controller } from '../../src/executor/controller.js';

/** An operation that ends when the test says so. */
function held(log: string[], name: string) {
  let end: () => void = () => {};
  const done = new Promise<void>((r) => (end = r));
  return {
    op: async () => {
      log.push(`begin ${name}`);
      await done;
    },
    end,
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('EngineSlots', () => {
  it('runs at most `slots` operations at once', async () => {
    const slots = new EngineSlots(2);
    const log: string[] = [];
    const ops = ['a', 'b', 'c'].map((n) => held(log, n));
    const runs = ops.map((o) => slots.run('prepare', o.op));
    await tick();
    expect(log).toEqual(['begin a', 'begin b']);
    expect(slots.queued).toBe(1);
    ops[0]!.end();
    await tick();
    expect(log).toEqual(['begin a', 'begin b', 'begin c']);
    ops[1]!.end();
    ops[2]!.end();
    await Promise.all(runs);
    expect(slots.queued).toBe(0);
  });

  it('gives a freed slot to a waiting start before any waiting prepare', async () => {
    const slots = new EngineSlots(1);
    const log: string[] = [];
    const p1 = held(log, 'prepare 1');
    const p2 = held(log, 'prepare 2');
    const s1 = held(log, 'start 1');
    const runs = [slots.run('prepare', p1.op), slots.run('prepare', p2.op), slots.run('start', s1.op)];
    await tick();
    p1.end();
    await tick();
    expect(log).toEqual(['begin prepare 1', 'begin start 1']);
    s1.end();
    await tick();
    p2.end();
    await Promise.all(runs);
    expect(log).toEqual(['begin prepare 1', 'begin start 1', 'begin prepare 2']);
  });

  it('passes a create\'s slot to the same container\'s start, before any waiting create', async () => {
    const slots = new EngineSlots(1);
    const log: string[] = [];
    const ctl = (n: number): Controller => ({
      containerId: undefined,
      prepare: async () => void log.push(`create ${n}`),
      start: async () => void log.push(`start ${n}`),
      wait: async () => ({ exitCode: 0 }),
      shutdown: async () => {},
      terminate: async () => {},
      remove: async () => {},
      inspect: async () => undefined,
    });
    const [a, b] = [slots.bound(ctl(1)), slots.bound(ctl(2))];
    // as the task manager does: the start is asked for some steps after the create resolved
    const run = async (c: Controller) => {
      await c.prepare();
      await tick();
      await c.start();
    };
    await Promise.all([run(a), run(b)]);
    expect(log).toEqual(['create 1', 'start 1', 'create 2', 'start 2']);
  });

  it('gives a held slot back when a prepared task is shut down instead of started', async () => {
    const slots = new EngineSlots(1);
    const noop = async () => {};
    const ctl: Controller = { containerId: undefined, prepare: noop, start: noop, wait: async () => ({ exitCode: 0 }), shutdown: noop, terminate: noop, remove: noop, inspect: async () => undefined };
    const a = slots.bound(ctl);
    await a.prepare();
    let second = false;
    const b = slots.bound(ctl).prepare().then(() => (second = true));
    await tick();
    expect(second).toBe(false);
    await a.shutdown(0);
    await b;
    expect(second).toBe(true);
  });

  it('gives the slot back when an operation fails', async () => {
    const slots = new EngineSlots(1);
    await expect(slots.run('prepare', () => Promise.reject(new Error('no image')))).rejects.toThrow('no image');
    await expect(slots.run('start', () => Promise.resolve(7))).resolves.toBe(7);
  });

  it('bounds a controller\'s prepare and start and passes everything else through', async () => {
    const slots = new EngineSlots(1);
    const calls: string[] = [];
    const ctl: Controller = {
      containerId: 'c1',
      prepare: async () => void calls.push('prepare'),
      start: async () => void calls.push('start'),
      wait: async () => ({ exitCode: 0 }),
      shutdown: async () => void calls.push('shutdown'),
      terminate: async () => void calls.push('terminate'),
      remove: async () => void calls.push('remove'),
      inspect: async () => undefined,
    };
    const bound = slots.bound(ctl);
    expect(bound.containerId).toBe('c1');
    expect(bound.watchHealth).toBeUndefined();
    await bound.prepare();
    await bound.start();
    await bound.shutdown(10);
    await bound.remove();
    expect(calls).toEqual(['prepare', 'start', 'shutdown', 'remove']);
    expect(await bound.wait()).toEqual({ exitCode: 0 });
  });
});
