import { seededRng, type Node, type Service, type Task, type TaskState } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { planService } from '../../src/orchestrator/plan-service.js';
import { withDesiredStates, type Plan } from '../../src/orchestrator/plan.js';
import { reconcileReplicated } from '../../src/orchestrator/reconcile-replicated.js';
import { scheduleTasks } from '../../src/scheduler/schedule-tasks.js';
import { iso, makeNode, makeService, makeSpec, makeTask } from '../scheduler/fixtures.js';

const NOW = 100_000;

function withState(task: Task, state: TaskState, nodeId = task.nodeId): Task {
  return { ...task, nodeId, status: { ...task.status, state } };
}

function plan(service: Service, tasks: readonly Task[], nodes: readonly Node[], now = NOW): Plan {
  return planService({ service, tasks, nodes, now, retentionLimit: 5 });
}

/**
 * A small cluster driven by the pure pieces: the orchestrator's plan, the scheduler's placement and
 * workers that move each task one state per step. `runningCount` is what `docker ps` on every
 * live node would show for the service.
 */
function cluster(service: Service, initialNodes: Node[], initialTasks: Task[]) {
  let nodes = initialNodes;
  let tasks = initialTasks;
  let now = NOW;
  let next = 0;
  const rng = seededRng(3);
  const up = (t: Task) => nodes.some((n) => n.id === t.nodeId && n.status.state !== 'down');
  return {
    get tasks() {
      return tasks;
    },
    setNodes(change: (nodes: Node[]) => Node[]) {
      nodes = change(nodes);
    },
    /** Containers running on nodes that are up. */
    runningCount: () => tasks.filter((t) => t.status.state === 'running' && up(t)).length,
    reconcile(): Plan {
      now += 1_000;
      const p = plan(service, tasks, nodes, now);
      tasks = withDesiredStates(tasks, p.update).filter((t) => !p.remove.includes(t.id));
      for (const draft of p.create) {
        const id = `new${++next}`;
        tasks.push({ ...draft, id, meta: { version: 1, createdAt: iso(now), updatedAt: iso(now) } });
      }
      return p;
    },
    schedule() {
      const waiting = tasks.filter((t) => t.desiredState === 'running' && t.status.state === 'pending' && t.nodeId === '');
      const result = scheduleTasks({ tasks: waiting, nodes, allTasks: tasks, rng });
      for (const a of result.assignments) tasks = tasks.map((t) => (t.id === a.taskId ? withState(t, 'assigned', a.nodeId) : t));
    },
    /** Every worker that is up takes one step for each of its tasks. */
    work() {
      const step: Partial<Record<TaskState, TaskState>> = { assigned: 'starting', starting: 'running' };
      tasks = tasks.map((t) => {
        if (!up(t) || t.status.state === 'pending') return t;
        if (t.desiredState !== 'running') return t.status.state === 'shutdown' ? t : withState(t, 'shutdown');
        const to = step[t.status.state];
        return to ? withState(t, to) : t;
      });
    },
  };
}

const running = (id: string, slot: number, nodeId: string, o: Parameters<typeof makeTask>[1] = {}) => makeTask(id, { slot, nodeId, createdAt: 1_000, ...o });

describe('drain (replicated): make-before-break', () => {
  const service = makeService('s1', { replicas: 1 });
  const nodes = [makeNode('a', { availability: 'drain' }), makeNode('b')];

  it('creates a replacement and keeps the old task running; stops it only once the replacement runs', () => {
    const old = running('old', 1, 'a');
    const first = plan(service, [old], nodes);
    expect(first.update).toEqual([]);
    expect(first.create.map((t) => [t.slot, t.nodeId, t.status.state, t.desiredState])).toEqual([[1, '', 'pending', 'running']]);

    const replacement = makeTask('r', { slot: 1, nodeId: '', state: 'pending', createdAt: 2_000 });
    for (const [state, nodeId] of [['pending', ''], ['assigned', 'b'], ['starting', 'b']] as const) {
      const p = plan(service, [old, withState(replacement, state, nodeId)], nodes);
      expect(p, `replacement ${state}`).toMatchObject({ create: [], update: [], remove: [] });
    }
    const done = plan(service, [old, withState(replacement, 'running', 'b')], nodes);
    expect(done.update).toEqual([{ taskId: 'old', desiredState: 'shutdown' }]);
    expect(done.create).toEqual([]);
  });

  it('keeps the old task running when the replacement cannot be placed anywhere', () => {
    const alone = [makeNode('a', { availability: 'drain' })];
    const c = cluster(service, alone, [running('old', 1, 'a')]);
    expect(c.reconcile().create).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      c.schedule();
      c.work();
      expect(c.reconcile()).toMatchObject({ create: [], update: [], remove: [] });
    }
    expect(c.tasks.map((t) => [t.id, t.status.state, t.desiredState])).toEqual([
      ['old', 'running', 'running'],
      ['new1', 'pending', 'running'],
    ]);
    expect(c.runningCount()).toBe(1);
  });

  it('never lets the running count drop below the replicas while a node drains', () => {
    const svc = makeService('s1', { replicas: 4 });
    const initial = [running('t1', 1, 'a'), running('t2', 2, 'b'), running('t3', 3, 'a'), running('t4', 4, 'c')];
    const c = cluster(svc, [makeNode('a'), makeNode('b'), makeNode('c')], initial);
    expect(c.reconcile()).toMatchObject({ create: [], update: [] });
    c.setNodes((ns) => ns.map((n) => (n.id === 'a' ? makeNode('a', { availability: 'drain' }) : n)));
    let peak = 0;
    for (let i = 0; i < 10; i++) {
      for (const step of [() => c.reconcile(), () => c.schedule(), () => c.work()]) {
        step();
        expect(c.runningCount()).toBeGreaterThanOrEqual(4);
        peak = Math.max(peak, c.runningCount());
      }
    }
    expect(peak).toBe(6);
    const live = c.tasks.filter((t) => t.desiredState === 'running');
    expect(live.map((t) => t.slot).sort()).toEqual([1, 2, 3, 4]);
    expect(live.every((t) => t.nodeId !== 'a' && t.status.state === 'running')).toBe(true);
    expect(c.tasks.filter((t) => t.nodeId === 'a').map((t) => [t.id, t.status.state, t.desiredState])).toEqual([
      ['t1', 'shutdown', 'shutdown'],
      ['t3', 'shutdown', 'shutdown'],
    ]);
    expect(c.runningCount()).toBe(4);
  });

  it('moves the same way when the node stops matching the constraints (label removed)', () => {
    const spec = makeSpec((s) => (s.placement.constraints = ['node.labels.zone==eu']));
    const svc = makeService('s1', { replicas: 2, spec });
    const eu = (id: string) => makeNode(id, { labels: { zone: 'eu' } });
    const c = cluster(svc, [eu('a'), eu('b'), makeNode('x')], [running('t1', 1, 'a', { spec }), running('t2', 2, 'b', { spec })]);
    c.setNodes((ns) => ns.map((n) => (n.id === 'a' ? makeNode('a') : n)));
    const p = c.reconcile();
    expect(p.update).toEqual([]);
    expect(p.create.map((t) => t.slot)).toEqual([1]);
    for (let i = 0; i < 6; i++) {
      for (const step of [() => c.schedule(), () => c.work(), () => c.reconcile()]) {
        step();
        expect(c.runningCount()).toBeGreaterThanOrEqual(2);
      }
    }
    const slot1 = c.tasks.filter((t) => t.slot === 1).map((t) => [t.id, t.nodeId, t.status.state, t.desiredState]);
    expect(slot1).toEqual([
      ['t1', 'a', 'shutdown', 'shutdown'],
      ['new1', 'b', 'running', 'running'],
    ]);
  });

  it('never makes a second replacement for a slot that is already moving', () => {
    const old = running('old', 1, 'a');
    const pending = makeTask('r', { slot: 1, nodeId: '', state: 'pending', createdAt: 2_000 });
    expect(plan(service, [old, pending], nodes, NOW + 3_600_000)).toMatchObject({ create: [], update: [] });
  });

  it('replaces a replacement placed on a node that is drained too, and still keeps the old task', () => {
    const old = running('old', 1, 'a');
    const r = makeTask('r', { slot: 1, nodeId: 'b', state: 'starting', createdAt: 2_000 });
    const both = [makeNode('a', { availability: 'drain' }), makeNode('b', { availability: 'drain' }), makeNode('c')];
    const p = plan(service, [old, r], both);
    expect(p.update).toEqual([{ taskId: 'r', desiredState: 'shutdown' }]);
    expect(p.create).toHaveLength(1);
  });

  it('stops and replaces at once a task that is not running yet on a drained node', () => {
    const starting = makeTask('t1', { nodeId: 'a', state: 'starting' });
    const p = plan(service, [starting], nodes);
    expect(p.update).toEqual([{ taskId: 't1', desiredState: 'shutdown' }]);
    expect(p.create).toHaveLength(1);
  });

  it('drain undone before the replacement runs: the replacement is dropped, the old task stays', () => {
    const old = running('old', 1, 'a');
    const r = makeTask('r', { slot: 1, nodeId: 'b', state: 'assigned', createdAt: 2_000 });
    const p = plan(service, [old, r], [makeNode('a'), makeNode('b')]);
    expect(p.update).toEqual([{ taskId: 'r', desiredState: 'shutdown' }]);
    expect(p.create).toEqual([]);
  });

  it('the drained node goes down during the move: the stale task is shut down, the replacement stays', () => {
    const old = running('old', 1, 'a');
    const r = makeTask('r', { slot: 1, nodeId: 'b', state: 'starting', createdAt: 2_000 });
    const p = plan(service, [old, r], [makeNode('a', { availability: 'drain', state: 'down' }), makeNode('b')]);
    expect(p.update).toEqual([{ taskId: 'old', desiredState: 'shutdown' }]);
    expect(p.create).toEqual([]);
  });

  it('a replacement that crashes is restarted by its policy while the old task keeps running', () => {
    const spec = makeSpec((s) => (s.restartPolicy = { ...s.restartPolicy, delayMs: 5_000, maxAttempts: 1 }));
    const svc = makeService('s1', { spec });
    const old = running('old', 1, 'a', { spec });
    const r = makeTask('r', { slot: 1, nodeId: 'b', state: 'failed', exitCode: 1, createdAt: 2_000, at: 3_000, spec });
    const early = plan(svc, [old, r], nodes, 4_000);
    expect(early).toMatchObject({ create: [], update: [], wakeAt: 8_000 });
    const due = plan(svc, [old, r], nodes, 8_000);
    expect(due.update).toEqual([{ taskId: 'r', desiredState: 'shutdown' }]);
    expect(due.create).toHaveLength(1);
  });

  it('leaves tasks on a paused node alone', () => {
    const paused = [makeNode('a', { availability: 'pause' }), makeNode('b')];
    expect(plan(service, [running('t1', 1, 'a')], paused)).toMatchObject({ create: [], update: [], remove: [] });
  });
});

describe('node down (replicated)', () => {
  const spec = makeSpec((s) => (s.restartPolicy = { ...s.restartPolicy, delayMs: 60_000, maxAttempts: 1 }));
  const service = makeService('s1', { replicas: 1, spec });
  const stale = running('stale', 1, 'a', { spec });

  it('replaces the task at once, without the restart delay, and shuts the old one down', () => {
    const p = plan(service, [stale], [makeNode('a', { state: 'down' }), makeNode('b')]);
    expect(p.update).toEqual([{ taskId: 'stale', desiredState: 'shutdown' }]);
    expect(p.create.map((t) => [t.slot, t.status.state])).toEqual([[1, 'pending']]);
    expect(p.delayed).toEqual([]);
    expect(p.wakeAt).toBeUndefined();
  });

  it('the node comes back: no new task for the slot, the stale task stays shut down', () => {
    const gone = { ...stale, desiredState: 'shutdown' as const };
    const replacement = makeTask('r', { slot: 1, nodeId: 'b', createdAt: 2_000, spec });
    const back = [makeNode('a'), makeNode('b')];
    expect(plan(service, [gone, replacement], back)).toMatchObject({ create: [], update: [], remove: [] });
    // Its agent then stops the stale container and reports it.
    const stopped = withState(gone, 'shutdown');
    expect(plan(service, [stopped, replacement], back)).toMatchObject({ create: [], update: [], remove: [] });
    // Even if the replacement is not placed yet.
    const waiting = makeTask('r', { slot: 1, nodeId: '', state: 'pending', createdAt: 2_000, spec });
    expect(plan(service, [gone, waiting], back)).toMatchObject({ create: [], update: [], remove: [] });
  });

  it('the replacement is not a restart attempt: it still gets its own restart under maxAttempts 1', () => {
    const gone = { ...stale, desiredState: 'shutdown' as const };
    const crashed = makeTask('r', { slot: 1, nodeId: 'b', state: 'failed', exitCode: 1, createdAt: 2_000, at: 3_000, spec });
    const nodes = [makeNode('a', { state: 'down' }), makeNode('b')];
    expect(reconcileReplicated({ service, tasks: [gone, crashed], nodes, now: 63_000 }).create).toHaveLength(1);
    // The same once the node came back and its agent reported the stale task stopped.
    const stopped = withState(gone, 'shutdown');
    expect(reconcileReplicated({ service, tasks: [stopped, crashed], nodes, now: 63_000 }).create).toHaveLength(1);
    // The restart itself counts: a second crash is the end.
    const restarted = { ...crashed, desiredState: 'shutdown' as const };
    const again = makeTask('r2', { slot: 1, nodeId: 'b', state: 'failed', exitCode: 1, createdAt: 63_000, at: 64_000, spec });
    expect(reconcileReplicated({ service, tasks: [stopped, restarted, again], nodes, now: 200_000 }).create).toEqual([]);
  });

  it('a task moved off a drained node does not count as a restart either', () => {
    const moved = withState({ ...stale, desiredState: 'shutdown' }, 'shutdown');
    const crashed = makeTask('r', { slot: 1, nodeId: 'b', state: 'failed', exitCode: 1, createdAt: 2_000, at: 3_000, spec });
    const nodes = [makeNode('a', { availability: 'drain' }), makeNode('b')];
    expect(reconcileReplicated({ service, tasks: [moved, crashed], nodes, now: 63_000 }).create).toHaveLength(1);
  });
});

describe('drain (global)', () => {
  it('shuts the drained node\'s task down and creates none elsewhere', () => {
    const service = makeService('g', { global: true });
    const tasks = ['a', 'b'].map((n) => makeTask(`t${n}`, { serviceId: 'g', slot: 0, nodeId: n }));
    const p = plan(service, tasks, [makeNode('a', { availability: 'drain' }), makeNode('b'), makeNode('c', { availability: 'drain' })]);
    expect(p.update).toEqual([{ taskId: 'ta', desiredState: 'shutdown' }]);
    expect(p.create).toEqual([]);
  });
});
