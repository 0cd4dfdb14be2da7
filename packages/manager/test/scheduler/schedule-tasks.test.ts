import { seededRng, type Task } from '@shoal/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleTasks, type ScheduleResult } from '../../src/scheduler/schedule-tasks.js';
import { hostPort, makeNode, makeSpec, makeTask } from './fixtures.js';

const GiB = 2 ** 30;

function pendingTasks(n: number, o: Parameters<typeof makeTask>[1] = {}): Task[] {
  return Array.from({ length: n }, (_, i) => makeTask(`p${i + 1}`, { slot: i + 1, nodeId: '', state: 'pending', ...o }));
}

function perNode(result: ScheduleResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of result.assignments) counts[a.nodeId] = (counts[a.nodeId] ?? 0) + 1;
  return counts;
}

describe('scheduleTasks', () => {
  it('spreads 6 tasks over 2 equal nodes as 3 + 3', () => {
    const tasks = pendingTasks(6);
    const result = scheduleTasks({ tasks, nodes: [makeNode('a'), makeNode('b')], allTasks: tasks, rng: seededRng(1) });
    expect(perNode(result)).toEqual({ a: 3, b: 3 });
    expect(result.unschedulable).toEqual([]);
  });

  it('prefers nodes with fewer tasks of the service, then fewer tasks overall', () => {
    const existing = [
      makeTask('e1', { nodeId: 'a' }),
      makeTask('e2', { nodeId: 'a' }),
      makeTask('x1', { nodeId: 'b', serviceId: 'other' }),
    ];
    const tasks = pendingTasks(2);
    const result = scheduleTasks({ tasks, nodes: [makeNode('a'), makeNode('b'), makeNode('c')], allTasks: [...existing, ...tasks], rng: seededRng(3) });
    expect(result.assignments.map((a) => a.nodeId)).toEqual(['c', 'b']);
  });

  it('honours max replicas per node and explains the rest', () => {
    const spec = makeSpec((s) => (s.placement.maxReplicasPerNode = 2));
    const tasks = pendingTasks(5, { spec });
    const result = scheduleTasks({ tasks, nodes: [makeNode('a'), makeNode('b')], allTasks: tasks, rng: seededRng(1) });
    expect(perNode(result)).toEqual({ a: 2, b: 2 });
    expect(result.unschedulable).toEqual([{ taskId: 'p5', reason: 'no suitable node (max replicas per node limit exceeded on 2 nodes)' }]);
  });

  it('accounts for reservations, including tasks placed in the same round', () => {
    const spec = makeSpec((s) => (s.resources.reservations = { nanoCpus: 0, memoryBytes: 3 * GiB }));
    const tasks = pendingTasks(3, { spec });
    const nodes = [makeNode('a', { memoryBytes: 4 * GiB }), makeNode('b', { memoryBytes: 8 * GiB })];
    const result = scheduleTasks({ tasks, nodes, allTasks: tasks, rng: seededRng(9) });
    expect(perNode(result)).toEqual({ a: 1, b: 2 });
    const more = pendingTasks(1, { spec });
    const placed = result.assignments.map((a) => makeTask(`${a.taskId}x`, { nodeId: a.nodeId, spec }));
    const second = scheduleTasks({ tasks: more, nodes, allTasks: placed, rng: seededRng(9) });
    expect(second.unschedulable).toEqual([{ taskId: 'p1', reason: 'no suitable node (insufficient resources on 2 nodes)' }]);
  });

  it('keeps host-mode ports apart', () => {
    const tasks = pendingTasks(3, { ports: [hostPort(80)] });
    const result = scheduleTasks({ tasks, nodes: [makeNode('a'), makeNode('b')], allTasks: tasks, rng: seededRng(2) });
    expect(perNode(result)).toEqual({ a: 1, b: 1 });
    expect(result.unschedulable[0]?.reason).toBe('no suitable node (host-mode port already in use on 2 nodes)');
  });

  it('leaves tasks pending with a reason when nothing fits, and with no nodes at all', () => {
    const spec = makeSpec((s) => (s.placement.constraints = ['node.role==manager']));
    const tasks = pendingTasks(1, { spec });
    const nodes = [makeNode('a'), makeNode('b'), makeNode('c')];
    expect(scheduleTasks({ tasks, nodes, allTasks: tasks, rng: seededRng(1) }).unschedulable).toEqual([
      { taskId: 'p1', reason: 'no suitable node (scheduling constraints not satisfied on 3 nodes)' },
    ]);
    expect(scheduleTasks({ tasks, nodes: [], allTasks: tasks, rng: seededRng(1) }).unschedulable).toEqual([
      { taskId: 'p1', reason: 'no suitable node' },
    ]);
  });

  it('spreads over label values before counting nodes', () => {
    const spec = makeSpec((s) => (s.placement.spreadPreferences = ['node.labels.zone']));
    const nodes = [
      makeNode('a1', { labels: { zone: 'a' } }),
      makeNode('a2', { labels: { zone: 'a' } }),
      makeNode('a3', { labels: { zone: 'a' } }),
      makeNode('b1', { labels: { zone: 'b' } }),
    ];
    const tasks = pendingTasks(4, { spec });
    const result = scheduleTasks({ tasks, nodes, allTasks: tasks, rng: seededRng(5) });
    const counts = perNode(result);
    expect(counts.b1).toBe(2);
    expect((counts.a1 ?? 0) + (counts.a2 ?? 0) + (counts.a3 ?? 0)).toBe(2);
  });

  it('is deterministic for a seed', () => {
    const tasks = pendingTasks(7);
    const nodes = [makeNode('a'), makeNode('b'), makeNode('c')];
    const run = () => scheduleTasks({ tasks, nodes, allTasks: tasks, rng: seededRng(42) });
    expect(run()).toEqual(run());
  });

  it('property: equal nodes never differ by more than one task', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 30 }), fc.integer(), (nodeCount, taskCount, seed) => {
        const nodes = Array.from({ length: nodeCount }, (_, i) => makeNode(`n${i}`));
        const tasks = pendingTasks(taskCount);
        const counts = perNode(scheduleTasks({ tasks, nodes, allTasks: tasks, rng: seededRng(seed) }));
        const values = nodes.map((n) => counts[n.id] ?? 0);
        expect(values.reduce((a, b) => a + b, 0)).toBe(taskCount);
        expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
