import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources, LABEL_NODE_ID, type Task, type TaskStatus } from '@shoal/common';
import { DockerExecutor, Worker, realTimers } from '@shoal/worker';

/** Docker's healthcheck reaches the task's status. Needs root, Docker Engine, shoal/busybox. */
const run = Date.now().toString(36);
const NODE = `e2ehealth${run}`;
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

function task(id: string): Task {
  return {
    id: `${id}${run}`,
    meta: { version: 1, createdAt: '', updatedAt: '' },
    serviceId: 'svchealth',
    slot: 1,
    nodeId: NODE,
    spec: {
      container: {
        image: 'shoal/busybox:latest',
        command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
        env: [],
        labels: {},
        stopGracePeriodMs: 1_000,
        mounts: [],
        healthcheck: { test: ['CMD-SHELL', 'test ! -f /tmp/sick'], intervalMs: 300, timeoutMs: 1_000, retries: 1, startPeriodMs: 0 },
      },
      resources: emptyResources(),
      restartPolicy: DEFAULT_RESTART_POLICY,
      placement: emptyPlacement(),
      networks: [],
      forceUpdate: 0,
    },
    serviceAnnotations: { name: 'e2e_health', labels: {} },
    endpointPorts: [],
    desiredState: 'running',
    status: { state: 'assigned', timestamp: '', message: '' },
  };
}

afterAll(() => {
  const ids = docker('ps', '-aq', '--filter', `label=${LABEL_NODE_ID}=${NODE}`);
  if (ids) docker('rm', '-f', ...ids.split('\n'));
});

async function until(cond: () => boolean, ms: number): Promise<number> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - t0;
}

describe('DockerController health', () => {
  it('reports starting, healthy, then unhealthy when the healthcheck starts failing, and healthy again', async () => {
    const ex = new DockerExecutor();
    const reports: TaskStatus[] = [];
    const worker = new Worker({ nodeId: NODE, executor: ex, clock: { now: () => Date.now() }, timers: realTimers, onStatus: (_id, s) => reports.push(s) });
    await worker.start();
    const t = task('h1');
    worker.setAssignments([t]);
    const seen = () => reports.filter((s) => s.state === 'running').map((s) => s.health);
    await until(() => seen().includes('healthy'), 20_000);
    expect(seen()[0]).toBe('starting');
    const id = reports.find((s) => s.containerId)!.containerId!;
    expect(ex.health.watched).toBe(1);
    docker('exec', id, 'touch', '/tmp/sick');
    const toUnhealthy = await until(() => seen().includes('unhealthy'), 10_000);
    docker('exec', id, 'rm', '/tmp/sick');
    await until(() => seen().lastIndexOf('healthy') > seen().indexOf('unhealthy'), 10_000);
    console.log(`healthy → unhealthy reported after ${toUnhealthy} ms`);
    await worker.removeAll();
    await until(() => ex.health.watched === 0, 10_000);
    await worker.stop();
  });
});
