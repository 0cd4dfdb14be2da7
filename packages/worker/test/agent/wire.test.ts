import { describe, expect, it } from 'vitest';
import { WORKER_INPUT_LIMITS as L, type TaskStatus } from '@shoal/common';
import { descriptionToWire, statusCalls, statusToWire } from '../../src/agent/wire.js';

const status = (over: Partial<TaskStatus> = {}): TaskStatus => ({ state: 'running', timestamp: '2026-12-03T16:00:00.000Z', message: 'started', ...over });

describe('what the agent sends the dispatcher', () => {
  it('sends the description as the typed message', () => {
    const wire = descriptionToWire({
      hostname: 'h2', platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 2e9, memoryBytes: 2 ** 33 }, engineVersion: '20.10', engineLabels: { a: 'b' },
    });
    expect(wire).toEqual({ hostname: 'h2', platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 2e9, memoryBytes: 2 ** 33 }, engineVersion: '20.10', engineLabels: { a: 'b' } });
  });

  it('makes its own long or odd error texts fit the limits instead of being refused', () => {
    const wire = statusToWire(status({ state: 'failed', err: `pull failed: ${'x'.repeat(100_000)}`, message: 'bad\u0001byte', exitCode: 0 }));
    expect(wire.err).toHaveLength(L.statusErrChars);
    expect(wire.message).toBe('bad byte');
    expect(wire.exitCode).toBe(0);
    expect(statusToWire(status())).not.toHaveProperty('exitCode');
  });

  it('splits a large batch into calls the dispatcher takes', () => {
    const batch = new Map(Array.from({ length: L.updatesPerCall * 2 + 1 }, (_, i) => [`t${i}`, status()] as const));
    const calls = statusCalls(batch);
    expect(calls.map((c) => c.length)).toEqual([L.updatesPerCall, L.updatesPerCall, 1]);
    expect(calls.flat().map((u) => u.taskId)).toEqual([...batch.keys()]);
  });
});
