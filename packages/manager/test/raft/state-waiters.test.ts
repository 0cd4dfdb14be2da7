import { describe, expect, it } from 'vitest';
import { MAX_STATE_WAITERS, StateWaiters } from '../../src/raft/state-waiters.js';

/** A manual scheduler: timers fire only when the test says so. */
function manualTimers() {
  const timers = new Map<number, () => void>();
  let next = 0;
  return {
    schedule: (_ms: number, fn: () => void) => {
      const id = next++;
      timers.set(id, fn);
      return () => timers.delete(id);
    },
    fireAll: () => [...timers.values()].forEach((fn) => fn()),
    get pending() {
      return timers.size;
    },
  };
}

describe('StateWaiters', () => {
  it('resolves at once when the condition already holds', async () => {
    const t = manualTimers();
    await expect(new StateWaiters().until(() => true, 1000, t.schedule)).resolves.toBe(true);
    expect(t.pending).toBe(0);
  });

  it('resolves on the change that makes the condition hold, and cancels its timer', async () => {
    const t = manualTimers();
    const w = new StateWaiters();
    let leader = false;
    const p = w.until(() => leader, 1000, t.schedule);
    w.changed();
    leader = true;
    w.changed();
    await expect(p).resolves.toBe(true);
    expect(t.pending).toBe(0);
  });

  it('resolves false at its deadline or when the host stops', async () => {
    const t = manualTimers();
    const w = new StateWaiters();
    const timedOut = w.until(() => false, 1000, t.schedule);
    t.fireAll();
    await expect(timedOut).resolves.toBe(false);
    const stopped = w.until(() => false, 1000, t.schedule);
    w.endAll();
    await expect(stopped).resolves.toBe(false);
  });

  it('refuses more waiters than its bound', async () => {
    const t = manualTimers();
    const w = new StateWaiters();
    for (let i = 0; i < MAX_STATE_WAITERS; i++) void w.until(() => false, 1000, t.schedule);
    await expect(w.until(() => false, 1000, t.schedule)).rejects.toThrow(/too many callers/);
    w.endAll();
  });
});
