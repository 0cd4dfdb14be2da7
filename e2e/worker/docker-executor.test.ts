import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources, LABEL_NODE_ID, LABEL_STACK, type Clock, type Task, type TaskState, type TaskStatus } from '@shoal/common';
import { DockerExecutor, Worker, doTask, realTimers } from '@shoal/worker';

/** Needs root, Docker Engine and the images of scripts/setup-host.sh. */
const clock: Clock = { now: () => Date.now() };
const run = Date.now().toString(36);
const NODE = `e2enode${run}`;
const NET = `shoal-e2e-${run}`;
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

function task(id: string, over: Partial<Task['spec']['container']> = {}, networks: Task['spec']['networks'] = []): Task {
  return {
    id: `${id}${run}`,
    meta: { version: 1, createdAt: '', updatedAt: '' },
    serviceId: 'svce2e',
    slot: 1,
    nodeId: NODE,
    spec: {
      container: { image: 'shoal/hello:latest', env: ['GREETING=hi'], labels: { user: 'yes' }, stopGracePeriodMs: 2_000, mounts: [], ...over },
      resources: { ...emptyResources(), limits: { nanoCpus: 500_000_000, memoryBytes: 64 * 2 ** 20 } },
      restartPolicy: DEFAULT_RESTART_POLICY,
      placement: emptyPlacement(),
      networks,
      forceUpdate: 0,
    },
    serviceAnnotations: { name: 'e2e_web', labels: { [LABEL_STACK]: 'e2e' } },
    endpointPorts: [],
    desiredState: 'running',
    status: { state: 'assigned', timestamp: '', message: '' },
  };
}

async function driveTo(t: Task, ex: DockerExecutor, stop: TaskState): Promise<Task> {
  const ctl = ex.controllerFor(t);
  while (t.status.state !== stop) {
    const status = await doTask(t, ctl, clock);
    if (status === t.status) throw new Error(`stuck at ${t.status.state}`);
    t = { ...t, status };
  }
  return t;
}

const ex = new DockerExecutor();

afterAll(() => {
  const ids = docker('ps', '-aq', '--filter', `label=${LABEL_NODE_ID}=${NODE}`);
  if (ids) docker('rm', '-f', ...ids.split('\n'));
  try {
    docker('network', 'rm', NET);
  } catch {
    /* already gone */
  }
});

describe('DockerExecutor', () => {
  it('describes the node', async () => {
    const d = await ex.describe();
    expect(d.engineVersion).toMatch(/^\d+\./);
    expect(d.resources.nanoCpus).toBeGreaterThan(0);
    expect(d.platform.os).toBe('linux');
  });

  it('runs a task to running with labels, name, limits and network aliases; shuts it down', async () => {
    const t = await driveTo(task('run', {}, [{ target: NET, aliases: ['web'] }]), ex, 'running');
    const info = JSON.parse(docker('inspect', t.status.containerId!))[0];
    expect(info.Name).toBe(`/e2e_web.1.${t.id}`);
    expect(info.Config.Labels).toMatchObject({ 'io.shoal.task.id': t.id, 'io.shoal.stack': 'e2e', 'io.shoal.node.id': NODE, user: 'yes' });
    expect(info.HostConfig.Memory).toBe(64 * 2 ** 20);
    expect(info.HostConfig.NanoCpus).toBe(500_000_000);
    expect(info.NetworkSettings.Networks[NET].Aliases).toContain('web');
    expect(docker('network', 'inspect', NET, '--format', '{{index .Labels "io.shoal.managed"}}')).toBe('true');
    const body = await (await fetch(`http://${t.status.containerIp}/`)).text();
    expect(body.trim()).toBe(info.Config.Hostname);
    const status = await doTask({ ...t, desiredState: 'shutdown' }, ex.controllerFor(t), clock);
    expect(status.state).toBe('shutdown');
    expect(docker('inspect', '-f', '{{.State.Running}}', t.status.containerId!)).toBe('false');
    await ex.controllerFor(t).remove();
    expect(() => docker('inspect', t.status.containerId!)).toThrow();
  });

  it('reports complete and failed with the exit code', async () => {
    const ok = await driveTo(task('ok', { command: ['true'], entrypoint: [] }), ex, 'running');
    expect((await doTask(ok, ex.controllerFor(ok), clock)).state).toBe('complete');
    const bad = await driveTo(task('bad', { entrypoint: ['/bin/sh', '-c'], command: ['exit 3'] }), ex, 'running');
    const status = await doTask(bad, ex.controllerFor(bad), clock);
    expect(status).toMatchObject({ state: 'failed', exitCode: 3, err: 'task: non-zero exit (3)' });
  });

  it('rejects a task whose image is missing and cannot be pulled', async () => {
    const t = { ...task('nopull', { image: 'shoal/missing-image:1' }), status: { state: 'preparing' as const, timestamp: '', message: '' } };
    const status = await doTask(t, ex.controllerFor(t), clock);
    expect(status.state).toBe('rejected');
    expect(status.err).toMatch(/^No such image: shoal\/missing-image:1 \(and it could not be pulled: .+\)$/);
  });

  it('a restarted worker adopts its running container and removes orphans', async () => {
    const statuses: [string, TaskStatus][] = [];
    const mk = () => new Worker({ nodeId: NODE, executor: ex, clock, timers: realTimers, onStatus: (id, s) => statuses.push([id, s]) });
    const first = mk();
    await first.start();
    const keep = task('keep');
    const drop = task('drop');
    first.setAssignments([keep, drop]);
    await until(() => first.statuses().get(keep.id)?.state === 'running' && first.statuses().get(drop.id)?.state === 'running');
    const keptId = first.statuses().get(keep.id)!.containerId!;
    const dropId = first.statuses().get(drop.id)!.containerId!;
    await first.stop();

    const second = mk();
    await second.start();
    second.setAssignments([{ ...keep, status: first.statuses().get(keep.id)! }]);
    await second.settled();
    expect(docker('inspect', '-f', '{{.State.Running}}', keptId)).toBe('true');
    expect(() => docker('inspect', dropId)).toThrow();
    second.setAssignments([]);
    await second.settled();
    expect(() => docker('inspect', keptId)).toThrow();
    await second.stop();
  });
});

async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
