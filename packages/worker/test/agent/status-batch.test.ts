import { describe, expect, it } from 'vitest';
import type { TaskState, TaskStatus } from '@shoal/common';
import { StatusBatch } from '../../src/agent/status-batch.js';

const status = (state: TaskState): TaskStatus => ({ state, timestamp: '2026-12-03T16:00:00.000Z', message: state });

describe('StatusBatch', () => {
  it('hands out one batch at a time, so a failed older batch never hides a newer status', () => {
    const b = new StatusBatch();
    b.add('t1', status('starting'));
    const first = b.take()!;
    b.add('t1', status('running'));
    // The old agent took a second batch here; when both failed and the first was put back
    // last, "starting" replaced "running" and the manager never heard that the task ran.
    expect(b.take()).toBeUndefined();
    b.settle(first);
    expect(b.take()).toEqual(new Map([['t1', status('running')]]));
  });

  it('puts back what failed to send and sends it next time', () => {
    const b = new StatusBatch();
    b.add('t1', status('running'));
    b.add('t2', status('failed'));
    const batch = b.take()!;
    b.settle(new Map([['t2', batch.get('t2')!]]));
    expect(b.take()).toEqual(new Map([['t2', status('failed')]]));
    b.settle();
    expect(b.take()).toBeUndefined();
  });
});
