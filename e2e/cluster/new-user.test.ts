import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/exec.js';
import type { Cluster, ClusterHost } from '../harness/cluster.js';
import { createTestCluster } from '../harness/provider.js';
import { describeRun, jsonLines, nodes, shoalOk } from './cli-helpers.js';

/**
 * What a new user met (issue 8), on two netns hosts driven through the CLI: a stack whose image
 * does not exist, an ingress port that a host process already listens on, and a CLI whose
 * output is piped into `head`. h1 is the manager, h2 a worker.
 * Needs root, Docker Engine and the local images (scripts/setup-host.sh), and `npm run build`.
 */

const LISTENED_PORT = 18080;
const WORK = '/tmp/shoal-e2e/new-user';

let cluster: Cluster | undefined;

function c(): Cluster {
  if (!cluster) throw new Error('no cluster');
  return cluster;
}

/** Writes a file on the host (the netns hosts share this machine's file system). */
async function writeOn(h: ClusterHost, path: string, text: string): Promise<string> {
  const r = await h.exec('sh', ['-c', 'mkdir -p "$(dirname "$1")" && cat > "$1"', 'sh', path], { input: text });
  if (r.code !== 0) throw new Error(`writing ${path} on ${h.name}: ${r.stderr}`);
  return path;
}

/** The -H flag of a netns host's shoald (the Vagrant VMs use the default socket). */
function hostFlag(h: ClusterHost): string[] {
  const url = (h as unknown as { layout?: { shoald?: { url?: string } } }).layout?.shoald?.url;
  return url ? ['-H', url] : [];
}

/** `shoal ARGS | head -n 0` on the host: the reader is gone before the CLI writes. The CLI's exit code and stderr. */
async function shoalIntoClosedPipe(h: ClusterHost, ...args: string[]): Promise<{ code: number; stderr: string }> {
  const cli = ['node', `${h.root}/packages/cli/dist/main.js`, ...hostFlag(h), ...args].map((a) => `'${a}'`).join(' ');
  const script = `err=$(mktemp); ${cli} 2>"$err" | head -n 0; code=\${PIPESTATUS[0]}; echo "$code"; cat "$err"; rm -f "$err"`;
  const out = await h.exec('bash', ['-c', script]);
  const [code = '', ...rest] = out.stdout.split('\n');
  return { code: Number(code), stderr: rest.join('\n') };
}

interface NodeInspect {
  description: { hostname: string };
  hostPorts?: { port: number; protocol: string; process: string; pid: number }[];
}

async function hostPortsOf(h: ClusterHost, node: string): Promise<NodeInspect['hostPorts']> {
  const [n] = JSON.parse(await shoalOk(h, 'node', 'inspect', node)) as NodeInspect[];
  return n?.hostPorts ?? [];
}

describe('new user: missing image, port held by a host process, output into head', () => {
  beforeAll(async () => {
    cluster = await createTestCluster({ hosts: 2, name: 'new-user' });
    const [h1, h2] = [c().host(1), c().host(2)];
    await Promise.all([h1.startShoald(), h2.startShoald()]);
    await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
    const token = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'worker')).trim();
    await shoalOk(h2, 'swarm', 'join', '--token', token, `${h1.addr}:4242`);
    await waitFor('2 ready nodes', async () => ((await nodes(h1)).filter((n) => n.Status === 'Ready').length === 2 ? true : undefined), 30_000);
  });

  afterAll(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });

  it('a stack whose image does not exist fails its deploy with the reason, not after the timeout', async () => {
    const h1 = c().host(1);
    const file = await writeOn(h1, `${WORK}/missing-image.yml`, 'services:\n  web:\n    image: shoal/nosuch:latest\n    deploy:\n      replicas: 2\n');
    const args = ['stack', 'deploy', '-c', file, '--timeout', '150s', 'miss'];
    const started = Date.now();
    const r = await h1.shoal(...args);
    console.log(`stack deploy with a missing image exited ${r.code} after ${Date.now() - started} ms`);
    expect(r.code, describeRun(args, r)).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Error: service miss_web: task failed: No such image: shoal\/nosuch:latest/);
    expect(r.stdout).toContain('Creating service miss_web');
    await shoalOk(h1, 'stack', 'rm', 'miss');
  });

  it('refuses an ingress port that a process on a node already listens on, naming node and process', async () => {
    const [h1, h2] = [c().host(1), c().host(2)];
    const started = await h2.exec('sh', ['-c', `busybox nc -l -p ${LISTENED_PORT} >/dev/null 2>&1 </dev/null & echo $!`]);
    const pid = Number(started.stdout.trim());
    expect(pid, started.stderr).toBeGreaterThan(0);
    try {
      await waitFor('h2 to report the listener', async () => ((await hostPortsOf(h1, 'h2'))?.some((p) => p.port === LISTENED_PORT) ? true : undefined), 30_000);
      const args = ['service', 'create', '-d', '--name', 'web', '-p', `${LISTENED_PORT}:80`, 'shoal/hello:latest'];
      const r = await h1.shoal(...args);
      expect(r.code, describeRun(args, r)).toBe(1);
      expect(r.stderr.trim()).toBe(`Error: port ${LISTENED_PORT} is already in use on node h2 by busybox (pid ${pid})`);
      expect(jsonLines<{ Name: string }>(await shoalOk(h1, 'service', 'ls', '--format', 'json')).map((s) => s.Name)).not.toContain('web');
    } finally {
      await h2.exec('kill', [String(pid)]);
    }
    await waitFor('h2 to report the port free', async () => ((await hostPortsOf(h1, 'h2'))?.some((p) => p.port === LISTENED_PORT) ? undefined : true), 30_000);
    await shoalOk(h1, 'service', 'create', '-d', '--name', 'web', '-p', `${LISTENED_PORT}:80`, 'shoal/hello:latest');
    await shoalOk(h1, 'service', 'rm', 'web');
  });

  it('a re-deploy of unchanged files waits for nothing; a changed service is waited for', async () => {
    const h1 = c().host(1);
    const file = (version: string) =>
      writeOn(h1, `${WORK}/same.yml`, `services:\n  web:\n    image: shoal/hello:latest\n    environment: {VERSION: '${version}'}\n  db:\n    image: shoal/busybox:latest\n    command: [sleep, '3600']\n`);
    const first = await shoalOk(h1, 'stack', 'deploy', '-c', await file('1'), 'same');
    expect(first).toContain('verify: waiting 5 seconds');
    let started = Date.now();
    const again = await shoalOk(h1, 'stack', 'deploy', '-c', await file('1'), 'same');
    console.log(`re-deploy of unchanged files took ${Date.now() - started} ms`);
    expect(again.trim().split('\n').sort()).toEqual(['Service same_db is unchanged', 'Service same_web is unchanged']);
    started = Date.now();
    const changed = await shoalOk(h1, 'stack', 'deploy', '-c', await file('2'), 'same');
    console.log(`re-deploy changing one service took ${Date.now() - started} ms`);
    expect(changed).toMatch(/^Updating service same_web \(id: \w+\)$/m);
    expect(changed).toContain('same_web: 1/1 running (converged)');
    expect(changed).toContain('Service same_db is unchanged');
    expect(changed).not.toMatch(/^same_db: /m);
    await shoalOk(h1, 'stack', 'rm', 'same');
  });

  it('stack rm piped into head removes every service quietly', async () => {
    const h1 = c().host(1);
    const file = await writeOn(h1, `${WORK}/pipe.yml`, ['a', 'b', 'c', 'd'].map((s) => `  ${s}:\n    image: shoal/hello:latest\n    deploy:\n      replicas: 0\n`).join('').replace(/^/, 'services:\n'));
    await shoalOk(h1, 'stack', 'deploy', '-d', '-c', file, 'pipe');
    expect(jsonLines<{ Name: string }>(await shoalOk(h1, 'stack', 'services', '--format', 'json', 'pipe'))).toHaveLength(4);

    const r = await shoalIntoClosedPipe(h1, 'stack', 'rm', 'pipe');
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.code).toBe(0);
    const left = await h1.shoal('stack', 'services', 'pipe');
    expect(left.stderr.trim()).toBe('Nothing found in stack: pipe');
  });
});
