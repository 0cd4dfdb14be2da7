import { describe, expect, it } from 'vitest';
import { WORKER_INPUT_LIMITS as L, type TaskStatus } from '@shoal/common';
import { loadProtos } from '@shoal/common/rpc';
import { descriptionToWire, statusCalls, statusToWire } from '../../src/agent/wire.js';
import { StatusBatch } from '../../src/agent/status-batch.js';

type Codec = { requestSerialize(v: unknown): Buffer; requestDeserialize(b: Buffer): { updates: { taskId: string; status: { state: string; health: string } }[] } };
const updateTaskStatus = (loadProtos().Dispatcher as unknown as { service: Record<string, Codec> }).service.UpdateTaskStatus!;

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

  it('sends a change of health alone, through the protobuf encoding, and "" for a task without one', () => {
    const batch = new StatusBatch();
    batch.add('t1', status());
    batch.add('t1', status({ health: 'starting' }));
    batch.add('t1', status({ health: 'unhealthy' }));
    batch.add('t2', status());
    const [updates] = statusCalls(batch.take()!);
    const decoded = updateTaskStatus.requestDeserialize(updateTaskStatus.requestSerialize({ nodeId: 'n1', sessionId: 's', updates }));
    expect(decoded.updates.map((u) => [u.taskId, u.status.state, u.status.health])).toEqual([
      ['t1', 'running', 'unhealthy'],
      ['t2', 'running', ''],
    ]);
  });

  it('splits a large batch into calls the dispatcher takes', () => {
    const batch = new Map(Array.from({ length: L.updatesPerCall * 2 + 1 }, (_, i) => [`t${i}`, status()] as const));
    const calls = statusCalls(batch);
    expect(calls.map((c) => c.length)).toEqual([L.updatesPerCall, L.updatesPerCall, 1]);
    expect(calls.flat().map((u) => u.taskId)).toEqual([...batch.keys()]);
  });
});
