import { describe, expect, it } from 'vitest';
import { enforceConstraints } from '../../src/orchestrator/constraint-enforcer.js';
import { planService } from '../../src/orchestrator/plan-service.js';
import { reconcileRemoved } from '../../src/orchestrator/reconcile-removed.js';
import { pruneTaskHistory } from '../../src/orchestrator/task-history.js';
import { makeNode, makeService, makeSpec, makeTask } from '../scheduler/fixtures.js';

describe('pruneTaskHistory', () => {
  const dead = (id: string, slot: number, createdAt: number) => makeTask(id, { slot, createdAt, state: 'failed', desiredState: 'shutdown' });

  it('keeps the newest `limit` dead tasks per slot', () => {
    const slot1 = Array.from({ length: 7 }, (_, i) => dead(`a${i}`, 1, i));
    const slot2 = [dead('b0', 2, 0), dead('b1', 2, 1)];
    const live = makeTask('live', { slot: 1, createdAt: 100 });
    expect(pruneTaskHistory({ tasks: [...slot1, ...slot2, live], retentionLimit: 5 }).sort()).toEqual(['a0', 'a1']);
    expect(pruneTaskHistory({ tasks: slot2, retentionLimit: 0 }).sort()).toEqual(['b0', 'b1']);
    expect(pruneTaskHistory({ tasks: slot1, retentionLimit: -1 })).toEqual([]);
  });

  it('keeps dead tasks still meant to run and running tasks told to stop', () => {
    const tasks = [
      makeTask('x', { state: 'complete', desiredState: 'running' }),
      makeTask('y', { state: 'running', desiredState: 'shutdown' }),
    ];
    expect(pruneTaskHistory({ tasks, retentionLimit: 0 })).toEqual([]);
  });

  it('groups global tasks by node', () => {
    const tasks = [
      makeTask('g1', { slot: 0, nodeId: 'a', state: 'failed', desiredState: 'shutdown', createdAt: 1 }),
      makeTask('g2', { slot: 0, nodeId: 'b', state: 'failed', desiredState: 'shutdown', createdAt: 2 }),
    ];
    expect(pruneTaskHistory({ tasks, retentionLimit: 1 })).toEqual([]);
  });
});

describe('enforceConstraints', () => {
  it('leaves tasks on paused, down or vanished nodes alone', () => {
    const nodes = [makeNode('pa', { availability: 'pause' }), makeNode('dn', { state: 'down' })];
    const tasks = [makeTask('p', { nodeId: 'pa' }), makeTask('d', { nodeId: 'dn' }), makeTask('g', { nodeId: 'gone' })];
    expect(enforceConstraints({ tasks, nodes })).toEqual([]);
  });

  it('shuts down tasks on drained nodes or nodes that stopped matching', () => {
    const spec = makeSpec((s) => (s.placement.constraints = ['node.labels.zone==eu']));
    const nodes = [makeNode('eu', { labels: { zone: 'eu' } }), makeNode('us', { labels: { zone: 'us' } }), makeNode('dr', { labels: { zone: 'eu' }, availability: 'drain' })];
    const tasks = [
      makeTask('ok', { nodeId: 'eu', spec }),
      makeTask('moved', { nodeId: 'us', spec }),
      makeTask('drained', { nodeId: 'dr', spec }),
      makeTask('dead', { nodeId: 'us', spec, state: 'failed' }),
      makeTask('pending', { nodeId: '', spec, state: 'pending' }),
    ];
    expect(enforceConstraints({ tasks, nodes })).toEqual([
      { taskId: 'moved', desiredState: 'shutdown' },
      { taskId: 'drained', desiredState: 'shutdown' },
    ]);
  });
});

describe('removed services', () => {
  it('marks running tasks for removal and deletes stopped or never-placed ones', () => {
    const nodes = [makeNode('n1')];
    const tasks = [
      makeTask('run', { nodeId: 'n1' }),
      makeTask('marked', { nodeId: 'n1', desiredState: 'remove' }),
      makeTask('done', { nodeId: 'n1', state: 'shutdown', desiredState: 'remove' }),
      makeTask('never', { nodeId: '', state: 'pending' }),
      makeTask('lost', { nodeId: 'gone' }),
    ];
    const plan = reconcileRemoved({ tasks, nodes });
    expect(plan.update).toEqual([{ taskId: 'run', desiredState: 'remove' }]);
    expect(plan.remove).toEqual(['done', 'never', 'lost']);
  });
});

describe('planService', () => {
  it('drains a node (replicated): a replacement is created and the running task is kept (make-before-break)', () => {
    const nodes = [makeNode('a', { availability: 'drain' }), makeNode('b')];
    const plan = planService({ service: makeService('s1'), tasks: [makeTask('t1', { nodeId: 'a' })], nodes, now: 0, retentionLimit: 5 });
    expect(plan.update).toEqual([]);
    expect(plan.create.map((t) => [t.slot, t.nodeId, t.status.state])).toEqual([[1, '', 'pending']]);
  });

  it('drains a node (global): the enforcer shuts its task down and nothing is created', () => {
    const nodes = [makeNode('a', { availability: 'drain' }), makeNode('b')];
    const tasks = [makeTask('ta', { serviceId: 'g', slot: 0, nodeId: 'a' }), makeTask('tb', { serviceId: 'g', slot: 0, nodeId: 'b' })];
    const plan = planService({ service: makeService('g', { global: true }), tasks, nodes, now: 0, retentionLimit: 5 });
    expect(plan.update).toEqual([{ taskId: 'ta', desiredState: 'shutdown' }]);
    expect(plan.create).toEqual([]);
  });

  it('leaves the tasks of a paused node alone (replicated and global)', () => {
    const nodes = [makeNode('a', { availability: 'pause' }), makeNode('b')];
    const replicated = planService({ service: makeService('s1'), tasks: [makeTask('t1', { nodeId: 'a' })], nodes, now: 0, retentionLimit: 5 });
    expect(replicated).toMatchObject({ create: [], update: [], remove: [] });
    const tasks = [makeTask('ta', { serviceId: 'g', slot: 0, nodeId: 'a' }), makeTask('tb', { serviceId: 'g', slot: 0, nodeId: 'b' })];
    const global = planService({ service: makeService('g', { global: true }), tasks, nodes, now: 0, retentionLimit: 5 });
    expect(global).toMatchObject({ create: [], update: [], remove: [] });
  });

  it('prunes history beyond the cluster limit', () => {
    const history = Array.from({ length: 4 }, (_, i) => makeTask(`h${i}`, { createdAt: i, state: 'failed', desiredState: 'shutdown' }));
    const live = makeTask('live', { createdAt: 10 });
    const plan = planService({ service: makeService('s1'), tasks: [...history, live], nodes: [makeNode('n1')], now: 0, retentionLimit: 2 });
    expect(plan.remove.sort()).toEqual(['h0', 'h1']);
    expect(plan.create).toEqual([]);
  });
});
