import { describe, expect, it } from 'vitest';
import { reconcileGlobal } from '../../src/orchestrator/reconcile-global.js';
import { makeNode, makeService, makeSpec, makeTask } from '../scheduler/fixtures.js';

const spec = makeSpec((s) => (s.placement.constraints = ['node.labels.gpu==yes']));
const service = makeService('g', { global: true, spec });
const nodes = [
  makeNode('a', { labels: { gpu: 'yes' } }),
  makeNode('b', { labels: { gpu: 'yes' } }),
  makeNode('c', { labels: { gpu: 'no' } }),
];

describe('reconcileGlobal', () => {
  it('creates one assigned task per eligible node on 3 nodes with a constraint', () => {
    const plan = reconcileGlobal({ service, tasks: [], nodes, now: 0 });
    expect(plan.create.map((t) => [t.nodeId, t.slot, t.status.state])).toEqual([
      ['a', 0, 'assigned'],
      ['b', 0, 'assigned'],
    ]);
  });

  it('adds nothing where a task already runs, and skips paused, drained and down nodes', () => {
    const more = [...nodes, makeNode('d', { labels: { gpu: 'yes' }, availability: 'pause' }), makeNode('e', { labels: { gpu: 'yes' }, state: 'down' })];
    const tasks = [makeTask('ta', { serviceId: 'g', slot: 0, nodeId: 'a', spec })];
    const plan = reconcileGlobal({ service, tasks, nodes: more, now: 0 });
    expect(plan.create.map((t) => t.nodeId)).toEqual(['b']);
  });

  it('shuts down tasks on nodes that no longer match, were drained or left', () => {
    const changed = [makeNode('a', { labels: { gpu: 'no' } }), makeNode('b', { labels: { gpu: 'yes' }, availability: 'drain' })];
    const tasks = ['a', 'b', 'gone'].map((n) => makeTask(`t${n}`, { serviceId: 'g', slot: 0, nodeId: n, spec }));
    const plan = reconcileGlobal({ service, tasks, nodes: changed, now: 0 });
    expect(plan.update.map((u) => u.taskId).sort()).toEqual(['ta', 'tb', 'tgone']);
    expect(plan.create).toEqual([]);
  });

  it('keeps a task on a node that is merely down', () => {
    const down = [makeNode('a', { labels: { gpu: 'yes' }, state: 'down' })];
    const tasks = [makeTask('ta', { serviceId: 'g', slot: 0, nodeId: 'a', spec })];
    expect(reconcileGlobal({ service, tasks, nodes: down, now: 0 })).toMatchObject({ create: [], update: [] });
  });

  it('restarts a dead task on its node after the delay', () => {
    const tasks = [makeTask('ta', { serviceId: 'g', slot: 0, nodeId: 'a', spec, state: 'failed', at: 1_000 })];
    const early = reconcileGlobal({ service, tasks, nodes: nodes.slice(0, 1), now: 2_000 });
    expect(early.create).toEqual([]);
    expect(early.wakeAt).toBe(6_000);
    const due = reconcileGlobal({ service, tasks, nodes: nodes.slice(0, 1), now: 6_000 });
    expect(due.create.map((t) => t.nodeId)).toEqual(['a']);
    expect(due.update).toEqual([{ taskId: 'ta', desiredState: 'shutdown' }]);
  });

  it('rolls a new spec one node at a time', () => {
    const newSpec = makeSpec((s) => {
      s.placement.constraints = ['node.labels.gpu==yes'];
      s.container.image = 'busybox:2';
    });
    const updated = makeService('g', { global: true, spec: newSpec });
    const tasks = ['a', 'b'].map((n) => makeTask(`t${n}`, { serviceId: 'g', slot: 0, nodeId: n, spec }));
    const plan = reconcileGlobal({ service: updated, tasks, nodes, now: 0 });
    expect(plan.update).toEqual([{ taskId: 'ta', desiredState: 'shutdown' }]);
    expect(plan.create).toEqual([]);
  });
});
