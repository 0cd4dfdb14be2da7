import { describe, expect, it } from 'vitest';
import type { Task, TaskState, TaskStatus } from '@shoal/common';
import { acceptStatus } from '../../src/dispatcher/status-updates.js';

function task(state: TaskState, nodeId = 'n1'): Task {
  return { id: 't1', nodeId, status: { state, timestamp: '2026-12-03T16:00:00.000Z', message: state } } as Task;
}
const status = (state: TaskState, message: string = state): TaskStatus => ({ state, timestamp: '2026-12-03T16:00:01.000Z', message });

describe('acceptStatus', () => {
  it('takes a later state, or new details of the same state, from the task node', () => {
    expect(acceptStatus(task('assigned'), 'n1', status('running'))).toBe(true);
    expect(acceptStatus(task('running'), 'n1', status('running', 'healthy'))).toBe(true);
  });

  it('takes a change of health alone on a running task, and not the same health twice', () => {
    const running = { ...task('running'), status: { ...status('running'), health: 'starting' as const } };
    expect(acceptStatus(running, 'n1', { ...status('running'), health: 'healthy' })).toBe(true);
    expect(acceptStatus(running, 'n1', { ...status('running'), health: 'starting' })).toBe(false);
    expect(acceptStatus({ ...running, nodeId: 'n2' }, 'n1', { ...status('running'), health: 'unhealthy' })).toBe(false);
  });

  it('ignores unknown tasks, tasks of other nodes and states that move backwards', () => {
    expect(acceptStatus(undefined, 'n1', status('running'))).toBe(false);
    expect(acceptStatus(task('assigned', 'n2'), 'n1', status('running'))).toBe(false);
    expect(acceptStatus(task('running'), 'n1', status('starting'))).toBe(false);
  });

  it('keeps a task that ended as it ended', () => {
    expect(acceptStatus(task('failed'), 'n1', status('rejected'))).toBe(false);
    expect(acceptStatus(task('complete'), 'n1', status('complete', 'rewritten'))).toBe(false);
    expect(acceptStatus(task('shutdown'), 'n1', status('failed'))).toBe(false);
  });
});
