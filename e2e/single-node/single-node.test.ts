import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalHost } from '../harness/host.js';
import { clearLeftovers, shoalContainers, shoalRules } from '../harness/cleanup.js';
import { waitFor } from '../harness/exec.js';

/**
 * Issue 2's scenario on one host, driven through the CLI as a user would: init, deploy a stack,
 * reach it, scale, kill a container, kill the daemon, remove everything.
 */
const WORK = '/tmp/shoal-e2e/single-node';
const PORT = 8080;
let host: LocalHost;

function composeFile(replicas: number): string {
  const path = join(WORK, `compose-${replicas}.yml`);
  writeFileSync(
    path,
    [
      'services:',
      '  web:',
      '    image: shoal/hello:latest',
      `    ports: ["${PORT}:80"]`,
      '    deploy:',
      `      replicas: ${replicas}`,
      '      restart_policy: { condition: any, delay: 2s }',
      '',
    ].join('\n'),
  );
  return path;
}

async function shoalOk(...args: string[]): Promise<string> {
  const r = await host.shoal(...args);
  if (r.code !== 0) throw new Error(`shoal ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** Running container IDs of the service, from Docker itself. */
async function runningContainers(service: string): Promise<string[]> {
  const out = await host.docker('ps', '-q', '--no-trunc', '--filter', `label=io.shoal.service.name=${service}`);
  return out.split('\n').filter(Boolean).sort();
}

async function waitForRunning(service: string, n: number): Promise<string[]> {
  return waitFor(`${n} running containers of ${service}`, async () => {
    const ids = await runningContainers(service);
    return ids.length === n ? ids : undefined;
  });
}

/** Hostnames that answered on the published port over `tries` requests. */
async function answeringHosts(tries: number): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < tries; i++) seen.add((await host.curl(PORT)).trim());
  return seen;
}

describe('single node: init, deploy, scale, heal, restart, remove', () => {
  beforeAll(async () => {
    await clearLeftovers();
    host = LocalHost.fresh(WORK);
    await host.startShoald();
  });

  afterAll(async () => {
    await host?.killShoald('SIGKILL');
    await clearLeftovers();
  });

  it('initialises a swarm and lists the node as a ready manager', async () => {
    const out = await shoalOk('swarm', 'init', '--advertise-addr', '127.0.0.1');
    expect(out).toMatch(/Swarm initialized: current node \(\w+\) is now a manager\./);
    const nodes = (await shoalOk('node', 'ls', '--format', 'json')).trim().split('\n').map((l) => JSON.parse(l));
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ Hostname: 'e2e-local', Status: 'Ready', Availability: 'Active', ManagerStatus: 'Leader' });
  });

  it('deploys 3 replicas and spreads requests to all of them', async () => {
    await shoalOk('stack', 'deploy', '-c', composeFile(3), 'hello');
    const ids = await waitForRunning('hello_web', 3);
    const hostnames = await waitFor('requests to reach all 3 containers', async () => {
      const seen = await answeringHosts(30);
      return seen.size === 3 ? seen : undefined;
    });
    const shortIds = ids.map((id) => id.slice(0, 12));
    expect([...hostnames].sort()).toEqual(shortIds.sort());
  });

  it('scales 3 -> 5 by editing replicas, leaving the first 3 untouched; service scale to 2', async () => {
    const before = await runningContainers('hello_web');
    await shoalOk('stack', 'deploy', '-c', composeFile(5), 'hello');
    const after = await waitForRunning('hello_web', 5);
    expect(after).toEqual(expect.arrayContaining(before));
    await shoalOk('service', 'scale', 'hello_web=2');
    const two = await waitForRunning('hello_web', 2);
    expect(before).toEqual(expect.arrayContaining(two));
  });

  it('replaces a killed container after the restart delay and shows the history', async () => {
    const [victim] = await runningContainers('hello_web');
    await host.docker('kill', victim!);
    const now = await waitFor('a replacement container', async () => {
      const ids = await runningContainers('hello_web');
      return ids.length === 2 && !ids.includes(victim!) ? ids : undefined;
    });
    expect(now).not.toContain(victim);
    const ps = await shoalOk('service', 'ps', 'hello_web');
    expect(ps).toMatch(/\\_ hello_web\.\d/);
    expect(ps).toMatch(/Failed|Shutdown|Complete/);
  });

  it('survives kill -9 of shoald: same containers, same state, nothing duplicated', async () => {
    const before = await runningContainers('hello_web');
    const servicesBefore = await shoalOk('service', 'ls', '--format', 'json');
    await host.killShoald('SIGKILL');
    expect(await runningContainers('hello_web')).toEqual(before);
    await host.startShoald();
    expect(await shoalOk('service', 'ls', '--format', 'json')).toEqual(servicesBefore);
    await waitFor('tasks to report running again', async () => {
      const out = await shoalOk('service', 'ls', '--format', 'json');
      return JSON.parse(out.trim()).Replicas === '2/2' ? true : undefined;
    });
    expect(await runningContainers('hello_web')).toEqual(before);
    expect((await answeringHosts(10)).size).toBeGreaterThan(0);
  });

  it('rejects a malformed compose file with one line naming file and key, deploying nothing', async () => {
    const bad = join(WORK, 'bad.yml');
    writeFileSync(bad, 'services:\n  api:\n    image: shoal/hello:latest\n    deploy:\n      replicas: three\n');
    const r = await host.shoal('stack', 'deploy', '-c', bad, 'broken');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('bad.yml');
    expect(r.stderr).toContain('services.api.deploy.replicas');
    expect((await shoalOk('stack', 'ls', '--format', 'json')).trim().split('\n')).toHaveLength(1);
  });

  it('stack rm and swarm leave --force leave no container and no SHOAL-* rule', async () => {
    await shoalOk('stack', 'rm', 'hello');
    await waitFor('containers to go', async () => ((await shoalContainers()).length === 0 ? true : undefined));
    const left = await shoalOk('swarm', 'leave', '--force');
    expect(left).toContain('Node left the swarm.');
    expect(await shoalContainers()).toEqual([]);
    expect(await shoalRules()).toEqual([]);
  });
});
