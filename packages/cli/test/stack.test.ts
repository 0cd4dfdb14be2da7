import { describe, expect, it } from 'vitest';
import { LABEL_STACK } from '@shoal/common';
import { computeStackPlan, describeAction } from '../src/stack/plan.js';
import { checkConvergence, progressLine, ProgressReporter, serviceProgress, StabilityGate } from '../src/stack/converge.js';
import { eligibleNodes } from '../src/stack/node-eligible.js';
import { failedTaskMessage, isPermanentFailure, permanentFailure } from '../src/stack/permanent-failure.js';
import { specEqual } from '../src/stack/spec-equal.js';
import { node, service, spec, task, T0 } from './fixtures.js';

describe('computeStackPlan', () => {
  const web = spec('app_web', {}, 'app');
  const db = spec('app_db', {}, 'app');

  it('creates what is missing, updates what changed, leaves the rest and prunes on request', () => {
    const storedWeb = service('w1', spec('app_web', {}, 'app'));
    const storedOld = service('o1', spec('app_old', {}, 'app'));
    const changedDb = structuredClone(db);
    changedDb.task.container.image = 'postgres:16';
    const storedDb = service('d1', spec('app_db', {}, 'app'), 7);
    const plan = computeStackPlan('app', [web, changedDb], [storedWeb, storedDb, storedOld], true);
    expect(plan.map((a) => [a.kind, a.name])).toEqual([
      ['update', 'app_db'],
      ['unchanged', 'app_web'],
      ['remove', 'app_old'],
    ]);
    expect(plan.map(describeAction)).toEqual(['Updating service app_db (id: d1)', 'Service app_web is unchanged', 'Removing service app_old']);
  });

  it('keeps services of the stack without --prune', () => {
    const plan = computeStackPlan('app', [web], [service('o1', spec('app_old', {}, 'app'))], false);
    expect(plan.map((a) => [a.kind, a.name])).toEqual([['create', 'app_web']]);
    expect(describeAction(plan[0]!)).toBe('Creating service app_web');
  });

  it('never prunes services of another stack', () => {
    const plan = computeStackPlan('app', [web], [service('x', spec('other_web', {}, 'other'))], true);
    expect(plan.map((a) => a.kind)).toEqual(['create']);
  });

  it('ignores key order, dropped undefined fields and the force-update counter', () => {
    const stored = service('w1', JSON.parse(JSON.stringify({ ...web, task: { ...web.task, forceUpdate: 3 } })));
    const desired = { ...web, task: { ...web.task, container: { ...web.task.container, user: undefined } } };
    expect(computeStackPlan('app', [desired], [stored], false)[0]!.kind).toBe('unchanged');
    const scaled = { ...web, mode: { kind: 'replicated' as const, replicas: 2 } };
    const update = computeStackPlan('app', [scaled], [stored], false)[0]!;
    expect(update.kind).toBe('update');
    expect(update.kind === 'update' && update.spec.task.forceUpdate).toBe(3);
  });

  it('leaves a service unchanged whose file publishes "80" and whose stored spec has the number the managers gave it', () => {
    const port = (publishedPort: number) => ({ protocol: 'tcp' as const, targetPort: 80, publishedPort, publishMode: 'ingress' as const });
    const inFile = { ...web, endpoint: { ...web.endpoint, ports: [port(0)] } };
    const stored = service('w1', { ...web, endpoint: { ...web.endpoint, ports: [port(30000)] } });
    expect(computeStackPlan('app', [inFile], [stored], false)[0]!.kind).toBe('unchanged');
    const other = { ...web, endpoint: { ...web.endpoint, ports: [port(0), { ...port(0), targetPort: 81 }] } };
    expect(computeStackPlan('app', [other], [stored], false)[0]!.kind).toBe('update');
    // "8080:80" became "80": the managers number it anew, so it is a change.
    const explicit = service('w1', { ...web, endpoint: { ...web.endpoint, ports: [port(8080)] } });
    expect(computeStackPlan('app', [inFile], [explicit], false)[0]!.kind).toBe('update');
  });

  it('specEqual is structural', () => {
    expect(specEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(specEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(specEqual([1, 2], [2, 1])).toBe(false);
    expect(specEqual({ a: [] }, { a: {} })).toBe(false);
  });
});

describe('convergence', () => {
  const nodes = [node('n1', 'one'), node('n2', 'two')];
  const web = service('web', spec('app_web', { mode: { kind: 'replicated', replicas: 2 } }, 'app'));

  it('is reached when exactly the replicas of the current spec run', () => {
    const tasks = [task('a', web, { slot: 1 }), task('b', web, { slot: 2, state: 'starting' })];
    expect(serviceProgress(web, tasks, nodes)).toMatchObject({ running: 1, desired: 2, converged: false });
    tasks[1]!.status.state = 'running';
    expect(serviceProgress(web, tasks, nodes)).toMatchObject({ running: 2, desired: 2, converged: true });
  });

  it('waits while a task of an older spec still runs', () => {
    const old = task('old', web, { slot: 1, desired: 'shutdown' });
    old.spec.container.image = 'busybox:0';
    const tasks = [old, task('a', web, { slot: 1 }), task('b', web, { slot: 2 })];
    const p = serviceProgress(web, tasks, nodes);
    expect(p).toMatchObject({ running: 2, stale: 1, converged: false });
    expect(progressLine(p)).toBe('app_web: 2/2 running, 1 old task still running');
    old.status.state = 'shutdown';
    expect(serviceProgress(web, tasks, nodes).converged).toBe(true);
  });

  it('does not count running tasks of an older spec towards the replicas', () => {
    const old = task('old', web, { slot: 1 });
    old.endpointPorts = [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }];
    expect(serviceProgress(web, [old, task('b', web, { slot: 2 })], nodes)).toMatchObject({ running: 1, stale: 1, converged: false });
  });

  it('is not reached while scaled down tasks still run', () => {
    const tasks = [1, 2, 3].map((slot) => task(`t${slot}`, web, { slot }));
    expect(serviceProgress(web, tasks, nodes)).toMatchObject({ running: 3, desired: 2, converged: false });
  });

  it('expects a global task on every ready, active, matching node', () => {
    const agent = service('agent', spec('app_agent', { mode: { kind: 'global' } }, 'app'));
    const drained = node('n3', 'three', { spec: { annotations: { name: '', labels: {} }, role: 'worker', availability: 'drain' } });
    const tasks = [task('g1', agent, { slot: 0, nodeId: 'n1' })];
    expect(serviceProgress(agent, tasks, [...nodes, drained])).toMatchObject({ running: 1, desired: 2, converged: false });
    tasks.push(task('g2', agent, { slot: 0, nodeId: 'n2' }));
    expect(serviceProgress(agent, tasks, [...nodes, drained]).converged).toBe(true);
  });

  it('reports failures of current tasks since the deploy, each once', () => {
    const tasks = [
      task('a', web, { slot: 1, state: 'pending', nodeId: '', at: T0 + 10, err: 'no suitable node (insufficient memory on 2 nodes)' }),
      task('old', web, { slot: 2, state: 'failed', desired: 'shutdown', at: T0 - 10, err: 'old failure' }),
    ];
    const state = checkConvergence({ services: [web], tasks, nodes, since: T0 });
    expect(state.converged).toBe(false);
    expect(state.failures).toEqual([{ taskId: 'a', serviceName: 'app_web', taskName: 'app_web.1', message: 'no suitable node (insufficient memory on 2 nodes)' }]);
    const reporter = new ProgressReporter();
    expect(reporter.report(state)).toEqual(['app_web: 0/2 running', 'app_web.1: no suitable node (insufficient memory on 2 nodes)']);
    expect(reporter.report(state)).toEqual([]);
    tasks.push(task('b', web, { slot: 2 }));
    expect(reporter.report(checkConvergence({ services: [web], tasks, nodes, since: T0 }))).toEqual(['app_web: 1/2 running']);
  });

  it('is reached for every service or none', () => {
    const db = service('db', spec('app_db', {}, 'app'));
    const tasks = [task('a', web, { slot: 1 }), task('b', web, { slot: 2 })];
    expect(checkConvergence({ services: [web, db], tasks, nodes, since: T0 }).converged).toBe(false);
    tasks.push(task('c', db, { slot: 1 }));
    const state = checkConvergence({ services: [web, db], tasks, nodes, since: T0 });
    expect(state.converged).toBe(true);
    expect(state.services.map(progressLine)).toEqual(['app_web: 2/2 running (converged)', 'app_db: 1/1 running (converged)']);
  });
});

describe('eligibleNodes', () => {
  const manager = node('m', 'mgr', { spec: { annotations: { name: '', labels: { zone: 'A' } }, role: 'manager', availability: 'active' } });
  const worker = node('w', 'wrk');
  const down = node('d', 'down', { status: { state: 'down', message: '', addr: '' } });

  it('keeps ready, active nodes matching the constraints', () => {
    const all = [manager, worker, down];
    expect(eligibleNodes(all, []).map((n) => n.id)).toEqual(['m', 'w']);
    expect(eligibleNodes(all, ['node.role==manager']).map((n) => n.id)).toEqual(['m']);
    expect(eligibleNodes(all, ['node.role != manager']).map((n) => n.id)).toEqual(['w']);
    expect(eligibleNodes(all, ['node.labels.zone==a']).map((n) => n.id)).toEqual(['m']);
    expect(eligibleNodes(all, ['node.platform.arch==amd64']).map((n) => n.id)).toEqual(['m', 'w']);
    expect(eligibleNodes(all, ['node.hostname==wrk']).map((n) => n.id)).toEqual(['w']);
    expect(LABEL_STACK).toBe('io.shoal.stack');
  });
});

describe('StabilityGate', () => {
  const nodes = [node('n1', 'one')];
  const web = service('web', spec('app_web', {}, 'app'));
  const at = (tasks: ReturnType<typeof task>[]) => checkConvergence({ services: [web], tasks, nodes, since: T0 });

  it('holds only once the same tasks ran for the whole window', () => {
    const gate = new StabilityGate(5000);
    expect(gate.observe(at([task('a', web, { state: 'starting' })]), 0)).toBe(false);
    expect(gate.verifying).toBe(false);
    expect(gate.observe(at([task('a', web)]), 1000)).toBe(false);
    expect(gate.verifying).toBe(true);
    expect(gate.observe(at([task('a', web)]), 5999)).toBe(false);
    expect(gate.observe(at([task('a', web)]), 6000)).toBe(true);
  });

  it('starts over when a task crashes and is replaced between polls', () => {
    const gate = new StabilityGate(5000);
    gate.observe(at([task('a', web)]), 0);
    expect(gate.observe(at([task('b', web)]), 5000)).toBe(false);
    expect(gate.observe(at([task('b', web)]), 10_000)).toBe(true);
  });

  it('starts over when convergence is lost', () => {
    const gate = new StabilityGate(5000);
    gate.observe(at([task('a', web)]), 0);
    gate.observe(at([task('a', web, { state: 'failed' })]), 3000);
    expect(gate.verifying).toBe(false);
    expect(gate.observe(at([task('a', web)]), 6000)).toBe(false);
  });
});

describe('permanent task failures', () => {
  it('are the ones a restart only repeats: a missing image or a reference that cannot be parsed', () => {
    expect(isPermanentFailure('No such image: foo:latest (and it could not be pulled: no such host)')).toBe(true);
    expect(isPermanentFailure('invalid reference format: repository name must be lowercase')).toBe(true);
    expect(isPermanentFailure('task: non-zero exit (1)')).toBe(false);
    expect(isPermanentFailure('no suitable node (insufficient memory on 2 nodes)')).toBe(false);
    const f = { taskId: 't', serviceName: 'st_web', taskName: 'st_web.1', message: 'No such image: foo:latest' };
    expect(failedTaskMessage(permanentFailure([{ ...f, message: 'task: non-zero exit (1)' }, f])!)).toBe('service st_web: task failed: No such image: foo:latest');
  });
});
