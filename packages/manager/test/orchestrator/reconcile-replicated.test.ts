import { isActiveState, type Task } from '@shoal/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcileReplicated } from '../../src/orchestrator/reconcile-replicated.js';
import { makeNode, makeService, makeSpec, makeTask, type TaskOptions } from '../scheduler/fixtures.js';

const nodes = [makeNode('n1'), makeNode('n2')];
const NOW = 100_000;

function tasksFor(n: number, o: TaskOptions = {}): Task[] {
  return Array.from({ length: n }, (_, i) => makeTask(`t${i + 1}`, { slot: i + 1, nodeId: i % 2 ? 'n2' : 'n1', ...o }));
}

function withRestart(change: Partial<Task['spec']['restartPolicy']>) {
  return makeSpec((s) => (s.restartPolicy = { ...s.restartPolicy, ...change }));
}

describe('reconcileReplicated', () => {
  it('creates pending tasks for every slot of a new service', () => {
    const plan = reconcileReplicated({ service: makeService('s1', { replicas: 3 }), tasks: [], nodes, now: NOW });
    expect(plan.create.map((t) => [t.slot, t.nodeId, t.status.state, t.desiredState])).toEqual([
      [1, '', 'pending', 'running'],
      [2, '', 'pending', 'running'],
      [3, '', 'pending', 'running'],
    ]);
    expect(plan.update).toEqual([]);
  });

  it('does nothing when every slot runs its current spec', () => {
    const plan = reconcileReplicated({ service: makeService('s1', { replicas: 3 }), tasks: tasksFor(3), nodes, now: NOW });
    expect(plan).toEqual({ create: [], update: [], remove: [], delayed: [] });
  });

  it('scaling up leaves existing tasks untouched', () => {
    const plan = reconcileReplicated({ service: makeService('s1', { replicas: 5 }), tasks: tasksFor(3), nodes, now: NOW });
    expect(plan.create.map((t) => t.slot)).toEqual([4, 5]);
    expect(plan.update).toEqual([]);
    expect(plan.remove).toEqual([]);
  });

  it('scaling down shuts down the highest slots', () => {
    const plan = reconcileReplicated({ service: makeService('s1', { replicas: 2 }), tasks: tasksFor(5), nodes, now: NOW });
    expect(plan.update).toEqual([
      { taskId: 't5', desiredState: 'shutdown' },
      { taskId: 't4', desiredState: 'shutdown' },
      { taskId: 't3', desiredState: 'shutdown' },
    ]);
    expect(plan.create).toEqual([]);
  });

  it('shuts down older duplicates in a slot', () => {
    const tasks = [makeTask('old', { createdAt: 1 }), makeTask('new', { createdAt: 2 })];
    const plan = reconcileReplicated({ service: makeService('s1'), tasks, nodes, now: NOW });
    expect(plan.update).toEqual([{ taskId: 'old', desiredState: 'shutdown' }]);
  });

  describe('restart policy', () => {
    const dead = (state: 'complete' | 'failed', spec: Task['spec'], at = 1_000) => makeTask('t1', { state, spec, at, exitCode: state === 'failed' ? 1 : 0 });

    it('condition none never restarts', () => {
      const spec = withRestart({ condition: 'none', delayMs: 0 });
      for (const state of ['complete', 'failed'] as const) {
        const plan = reconcileReplicated({ service: makeService('s1', { spec }), tasks: [dead(state, spec)], nodes, now: NOW });
        expect(plan.create).toEqual([]);
        expect(plan.update).toEqual([]);
      }
    });

    it('on-failure restarts failed tasks only', () => {
      const spec = withRestart({ condition: 'on-failure', delayMs: 0 });
      const service = makeService('s1', { spec });
      expect(reconcileReplicated({ service, tasks: [dead('complete', spec)], nodes, now: NOW }).create).toEqual([]);
      const plan = reconcileReplicated({ service, tasks: [dead('failed', spec)], nodes, now: NOW });
      expect(plan.create.map((t) => t.slot)).toEqual([1]);
      expect(plan.update).toEqual([{ taskId: 't1', desiredState: 'shutdown' }]);
    });

    it('any restarts completed tasks too', () => {
      const spec = withRestart({ condition: 'any', delayMs: 0 });
      const plan = reconcileReplicated({ service: makeService('s1', { spec }), tasks: [dead('complete', spec)], nodes, now: NOW });
      expect(plan.create).toHaveLength(1);
    });

    it('waits for the delay, counted from when the task stopped', () => {
      const spec = withRestart({ delayMs: 5_000 });
      const service = makeService('s1', { spec });
      const tasks = [dead('failed', spec, 10_000)];
      const early = reconcileReplicated({ service, tasks, nodes, now: 14_999 });
      expect(early.create).toEqual([]);
      expect(early.update).toEqual([]);
      expect(early.wakeAt).toBe(15_000);
      expect(early.delayed).toEqual([{ slot: 1, nodeId: '', notBefore: 15_000 }]);
      const due = reconcileReplicated({ service, tasks, nodes, now: 15_000 });
      expect(due.create).toHaveLength(1);
      expect(due.wakeAt).toBeUndefined();
    });

    it('stops after maxAttempts restarts within the window', () => {
      const spec = withRestart({ delayMs: 0, maxAttempts: 2, windowMs: 60_000 });
      const service = makeService('s1', { spec });
      const history = [
        makeTask('a', { state: 'failed', desiredState: 'shutdown', spec, createdAt: 1_000, at: 2_000 }),
        makeTask('b', { state: 'failed', desiredState: 'shutdown', spec, createdAt: 3_000, at: 4_000 }),
      ];
      const third = makeTask('c', { state: 'failed', spec, createdAt: 5_000, at: 6_000 });
      expect(reconcileReplicated({ service, tasks: [...history, third], nodes, now: NOW }).create).toEqual([]);
      // When c fails long after, the restarts b and c fall out of the window: restart again.
      const laterThird = makeTask('c', { state: 'failed', spec, createdAt: 5_000, at: 200_000 });
      const plan = reconcileReplicated({ service, tasks: [...history, laterThird], nodes, now: 200_000 });
      expect(plan.create).toHaveLength(1);
    });

    it('counts restarts over the whole life with window 0', () => {
      const spec = withRestart({ delayMs: 0, maxAttempts: 1, windowMs: 0 });
      const service = makeService('s1', { spec });
      const first = makeTask('a', { state: 'failed', desiredState: 'shutdown', spec, createdAt: 1, at: 2 });
      const second = makeTask('b', { state: 'failed', spec, createdAt: 10_000_000, at: 10_000_001 });
      expect(reconcileReplicated({ service, tasks: [{ ...first, desiredState: 'running' }], nodes, now: NOW }).create).toHaveLength(1);
      expect(reconcileReplicated({ service, tasks: [first, second], nodes, now: 20_000_000 }).create).toHaveLength(0);
    });
  });

  it('replaces tasks on a down or vanished node at once, without delay', () => {
    const spec = withRestart({ delayMs: 60_000 });
    const service = makeService('s1', { replicas: 2, spec });
    const tasks = [makeTask('t1', { slot: 1, nodeId: 'n1', spec }), makeTask('t2', { slot: 2, nodeId: 'gone', spec })];
    const plan = reconcileReplicated({ service, tasks, nodes: [makeNode('n1', { state: 'down' })], now: NOW });
    expect(plan.update).toEqual([
      { taskId: 't1', desiredState: 'shutdown' },
      { taskId: 't2', desiredState: 'shutdown' },
    ]);
    expect(plan.create.map((t) => [t.slot, t.nodeId])).toEqual([[1, ''], [2, '']]);
  });

  it('replaces a task shut down by the constraint enforcer without waiting for it to stop', () => {
    const tasks = [makeTask('t1', { desiredState: 'shutdown', state: 'running' })];
    const plan = reconcileReplicated({ service: makeService('s1'), tasks, nodes, now: NOW });
    expect(plan.create.map((t) => t.slot)).toEqual([1]);
  });

  describe('rolling update (stop-first, one at a time)', () => {
    const oldSpec = makeSpec();
    const newSpec = makeSpec((s) => (s.container.image = 'busybox:2'));
    const service = makeService('s1', { replicas: 3, spec: newSpec });

    it('stops the lowest dirty slot first and creates nothing yet', () => {
      const plan = reconcileReplicated({ service, tasks: tasksFor(3, { spec: oldSpec }), nodes, now: NOW });
      expect(plan.update).toEqual([{ taskId: 't1', desiredState: 'shutdown' }]);
      expect(plan.create).toEqual([]);
    });

    it('waits while the stopped task is still running', () => {
      const tasks = tasksFor(3, { spec: oldSpec });
      tasks[0] = { ...tasks[0]!, desiredState: 'shutdown' };
      const plan = reconcileReplicated({ service, tasks, nodes, now: NOW });
      expect(plan).toMatchObject({ create: [], update: [] });
    });

    it('creates the replacement once the old task stopped, and nothing else', () => {
      const tasks = tasksFor(3, { spec: oldSpec });
      tasks[0] = { ...tasks[0]!, desiredState: 'shutdown', status: { ...tasks[0]!.status, state: 'shutdown' } };
      const plan = reconcileReplicated({ service, tasks, nodes, now: NOW });
      expect(plan.update).toEqual([]);
      expect(plan.create.map((t) => [t.slot, t.spec.container.image])).toEqual([[1, 'busybox:2']]);
    });

    it('waits for the replacement to run before the next slot', () => {
      const tasks = tasksFor(3, { spec: oldSpec });
      tasks[0] = { ...tasks[0]!, desiredState: 'shutdown', status: { ...tasks[0]!.status, state: 'shutdown' } };
      const replacement = makeTask('r1', { slot: 1, spec: newSpec, state: 'starting', createdAt: 50 });
      expect(reconcileReplicated({ service, tasks: [...tasks, replacement], nodes, now: NOW })).toMatchObject({ create: [], update: [] });
      const running = { ...replacement, status: { ...replacement.status, state: 'running' as const } };
      const plan = reconcileReplicated({ service, tasks: [...tasks, running], nodes, now: NOW });
      expect(plan.update).toEqual([{ taskId: 't2', desiredState: 'shutdown' }]);
    });

    it('treats changed published ports as dirty', () => {
      const ports = [{ protocol: 'tcp' as const, targetPort: 80, publishedPort: 8080, publishMode: 'ingress' as const }];
      const withPorts = makeService('s1', { replicas: 1, ports });
      const plan = reconcileReplicated({ service: withPorts, tasks: tasksFor(1), nodes, now: NOW });
      expect(plan.update).toEqual([{ taskId: 't1', desiredState: 'shutdown' }]);
    });

    it('replaces an unassigned dirty task at once', () => {
      const tasks = [makeTask('t1', { nodeId: '', state: 'pending', spec: oldSpec })];
      const plan = reconcileReplicated({ service: makeService('s1', { spec: newSpec }), tasks, nodes, now: NOW });
      expect(plan.update).toEqual([{ taskId: 't1', desiredState: 'shutdown' }]);
      expect(plan.create.map((t) => t.spec.container.image)).toEqual(['busybox:2']);
    });
  });

  describe('property: once the plan is applied', () => {
    // n1, n2: active; pa: paused; dr: drained (up); dn: down; gone: not in the store; '': unplaced.
    const cluster = [makeNode('n1'), makeNode('n2'), makeNode('pa', { availability: 'pause' }), makeNode('dr', { availability: 'drain' }), makeNode('dn', { state: 'down' })];
    const upNodes = new Set(['n1', 'n2', 'pa', 'dr']);
    const states = ['pending', 'assigned', 'starting', 'running', 'complete', 'failed', 'shutdown'] as const;
    const taskArb = fc.record({
      slot: fc.integer({ min: 1, max: 6 }),
      state: fc.constantFrom(...states),
      desired: fc.constantFrom('running' as const, 'shutdown' as const),
      node: fc.constantFrom('n1', 'n2', 'pa', 'dr', 'dn', 'gone', ''),
      created: fc.integer({ min: 0, max: 50_000 }),
      dirty: fc.boolean(),
    });
    const input = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.array(taskArb, { maxLength: 12 }), fc.integer({ min: 0, max: 200_000 }));
    /** Crowded slots, mostly running tasks, many on the drained node: moves under way in every shape. */
    const moves = fc.tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.array(
        fc.record({
          slot: fc.integer({ min: 1, max: 3 }),
          state: fc.constantFrom('pending', 'starting', 'running', 'running', 'running', 'failed'),
          desired: fc.constantFrom('running' as const, 'running' as const, 'shutdown' as const),
          node: fc.constantFrom('n1', 'dr', 'dr', 'dn', ''),
          created: fc.integer({ min: 0, max: 50_000 }),
          dirty: fc.boolean(),
        }),
        { maxLength: 8 },
      ),
      fc.integer({ min: 0, max: 200_000 }),
    );

    function run(replicas: number, raw: { slot: number; state: Task['status']['state']; desired: 'running' | 'shutdown'; node: string; created: number; dirty: boolean }[], now: number) {
      const spec = makeSpec();
      const service = makeService('s1', { replicas, spec });
      const tasks = raw.map((r, i) =>
        makeTask(`t${i}`, { slot: r.slot, state: r.state, desiredState: r.desired, nodeId: r.node, createdAt: r.created, spec: r.dirty ? makeSpec((s) => (s.forceUpdate = 1)) : spec }),
      );
      const plan = reconcileReplicated({ service, tasks, nodes: cluster, now });
      const desired = new Map(plan.update.map((u) => [u.taskId, u.desiredState]));
      const after = tasks.map((t) => ({ ...t, desiredState: desired.get(t.id) ?? t.desiredState }));
      return { service, tasks, plan, after };
    }

    const serving = (t: Task) => t.status.state === 'running' && upNodes.has(t.nodeId);
    /** The old task of a move: runs on the drained node and stays meant to run beside its replacement. */
    const moving = (t: Task) => serving(t) && t.nodeId === 'dr';

    it('at most one serving task per slot up to `replicas`, plus one replacement per moving slot', () => {
      fc.assert(
        fc.property(fc.oneof(input, moves), ([replicas, raw, now]) => {
          const { plan, after } = run(replicas, raw, now);
          const bySlot = new Map<number, { runnable: Task[]; created: number }>();
          const entry = (slot: number) => bySlot.get(slot) ?? bySlot.set(slot, { runnable: [], created: 0 }).get(slot)!;
          for (const t of after) if (isActiveState(t.desiredState)) entry(t.slot).runnable.push(t);
          for (const c of plan.create) entry(c.slot).created++;
          let counted = 0;
          for (const [slot, { runnable, created }] of bySlot) {
            const total = runnable.length + created;
            if (total === 0) continue;
            expect(slot).toBeLessThanOrEqual(replicas);
            expect(created).toBeLessThanOrEqual(1);
            expect(total).toBeLessThanOrEqual(2);
            if (total === 2) {
              // Exactly one old task being moved, and one replacement that does not serve yet.
              const old = runnable.filter(moving);
              expect(old).toHaveLength(1);
              const replacement = runnable.filter((t) => t !== old[0]);
              expect(replacement.every((t) => !serving(t))).toBe(true);
            }
            counted++;
          }
          expect(counted).toBeLessThanOrEqual(replicas);
        }),
        { numRuns: 1000 },
      );
    });

    it('make-before-break: a current task serving on the drained node stops only if its slot keeps a serving task', () => {
      fc.assert(
        fc.property(fc.oneof(input, moves), ([replicas, raw, now]) => {
          const { service, tasks, plan, after } = run(replicas, raw, now);
          const stopped = new Set(plan.update.filter((u) => u.desiredState === 'shutdown').map((u) => u.taskId));
          for (const t of tasks) {
            if (!moving(t) || !isActiveState(t.desiredState) || t.slot > replicas || !stopped.has(t.id)) continue;
            if (JSON.stringify(t.spec) !== JSON.stringify(service.spec.task)) continue; // rolling updates are stop-first
            // Another task serves the slot on: it stays, or a rolling update stops it (stop-first).
            const dirty = (a: Task) => JSON.stringify(a.spec) !== JSON.stringify(service.spec.task);
            const kept = after.filter((a) => a.slot === t.slot && a.id !== t.id && serving(a) && (isActiveState(a.desiredState) || dirty(a)));
            expect(kept.length, `slot ${t.slot} lost its only serving task ${t.id}`).toBeGreaterThan(0);
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});
