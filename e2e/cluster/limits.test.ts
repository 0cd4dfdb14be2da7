import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, ClusterHost } from '../harness/cluster.js';
import { createTestCluster } from '../harness/provider.js';
import { jsonLines, shoalOk } from './cli-helpers.js';

/**
 * Issue 8's limits on one netns host, through the CLI: a huge replica count is refused in one
 * line (by the CLI, by the manager, from a compose file), `swarm update --max-replicas` moves the
 * limit, and `service ls` lists more than one 4 MiB gRPC reply could carry.
 * Needs root, Docker Engine and the local images (scripts/setup-host.sh), and `npm run build`.
 */
const WORK = '/tmp/shoal-e2e/limits';
let cluster: Cluster<ClusterHost> | undefined;
const h1 = () => cluster!.host(1);

async function refused(...args: string[]): Promise<string> {
  const r = await h1().shoal(...args);
  expect(r.code, r.stdout).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

const serviceNames = async () => (await shoalOk(h1(), 'service', 'ls', '--format', 'json')).trim().split('\n').filter(Boolean).length;

describe('limits (issue 8)', () => {
  beforeAll(async () => {
    mkdirSync(WORK, { recursive: true });
    cluster = await createTestCluster({ hosts: 1, name: 'limits' });
    await h1().startShoald();
    await shoalOk(h1(), 'swarm', 'init', '--advertise-addr', h1().addr);
  });

  afterAll(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });

  it('refuses a billion replicas in one line, from the CLI, the manager and a compose file', async () => {
    expect(await refused('service', 'create', '-d', '--name', 'huge', '--replicas', '1000000000', 'shoal/busybox:latest', 'sleep', '1000')).toBe(
      'Error: replicas 1000000000 is more than any swarm allows (at most 1000000; see shoal swarm update --max-replicas)',
    );
    expect(await refused('service', 'create', '-d', '--name', 'big', '--replicas', '100001', 'shoal/busybox:latest', 'sleep', '1000')).toBe(
      'Error: service big: replicas 100001 exceeds the cluster limit of 100000 (shoal swarm update --max-replicas)',
    );
    const compose = join(WORK, 'huge.yml');
    writeFileSync(compose, 'services:\n  web:\n    image: shoal/busybox:latest\n    command: sleep 1000\n    deploy:\n      replicas: 1000000000\n');
    expect(await refused('stack', 'deploy', '-c', compose, 'huge')).toBe(
      'Error: service huge_web: replicas 1000000000 exceeds the cluster limit of 100000 (shoal swarm update --max-replicas)',
    );
    expect(await serviceNames()).toBe(0);
  });

  it('swarm update --max-replicas changes the limit, and will not go below a service', async () => {
    expect((await shoalOk(h1(), 'swarm', 'update', '--max-replicas', '2')).trim()).toBe('Swarm updated.');
    expect(await refused('service', 'create', '-d', '--name', 'three', '--replicas', '3', 'shoal/busybox:latest', 'sleep', '1000')).toBe(
      'Error: service three: replicas 3 exceeds the cluster limit of 2 (shoal swarm update --max-replicas)',
    );
    await shoalOk(h1(), 'service', 'create', '-d', '--name', 'two', '--replicas', '2', 'shoal/busybox:latest', 'sleep', '1000');
    expect(await refused('service', 'scale', 'two=3')).toContain('replicas 3 exceeds the cluster limit of 2');
    expect(await refused('swarm', 'update', '--max-replicas', '1')).toBe('Error: service two has 2 replicas, more than 1: scale it down first');
    await shoalOk(h1(), 'service', 'rm', 'two');
    await shoalOk(h1(), 'swarm', 'update', '--max-replicas', '100000');
  });

  it('service ls lists services whose specs add up to more than one 4 MiB reply', async () => {
    const labels = ['a', 'b', 'c', 'd'].flatMap((k) => ['--label', `${k}=${k.repeat(100 * 1024)}`]);
    const count = 12; // 12 x 400 KiB of labels: about 4.8 MiB
    for (let i = 0; i < count; i++) {
      await shoalOk(h1(), 'service', 'create', '-d', '--name', `wide${i}`, '--replicas', '0', ...labels, 'shoal/busybox:latest', 'sleep', '1000');
    }
    const rows = jsonLines<{ Name: string }>(await shoalOk(h1(), 'service', 'ls', '--format', 'json'));
    expect(rows.map((r) => r.Name).sort()).toEqual(Array.from({ length: count }, (_, i) => `wide${i}`).sort());
    const tooBig = ['e', 'f', 'g', 'h', 'i', 'j'].flatMap((k) => ['--label', `${k}=${k.repeat(100 * 1024)}`]);
    expect(await refused('service', 'create', '-d', '--name', 'toobig', '--replicas', '0', ...tooBig, 'shoal/busybox:latest')).toMatch(
      /^Error: the service spec is 600\.\d KiB; the limit is 512 KiB/,
    );
  });
});
