import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { sleep, waitFor } from '../harness/exec.js';
import type { Cluster, ClusterHost } from '../harness/cluster.js';
import { createTestCluster } from '../harness/provider.js';
import { describeRun, jsonLines, nodes, shoalOk, type TaskRow } from './cli-helpers.js';

/**
 * Issue 3's scenario on the netns provider, driven through the CLI as a user would: one manager
 * (h1), two workers (h2, h3) and an outsider (h4: shoald runs, never joins). Init, join, refuse
 * intruders, deploy with constraints, cut a worker off and heal it, drain, leave; then, on a
 * cluster of its own, certificates with a 30 s life that renew before they expire.
 * Needs root, Docker Engine and the local images (scripts/setup-host.sh), and `npm run build`.
 */

const MANAGER_PORT = 4242;
const REPLICAS = 6;
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Tasks of a service that are meant to run and do, with the node they run on. */
async function runningTasks(h: ClusterHost, service: string): Promise<TaskRow[]> {
  const tasks = jsonLines<TaskRow>(await shoalOk(h, 'service', 'ps', '--format', 'json', '-f', 'desired-state=running', service));
  return tasks.filter((t) => t.DesiredState === 'Running' && t.CurrentState.startsWith('Running'));
}

/** Running containers of a service on one host, from that host's own engine. */
async function containers(h: ClusterHost, service: string): Promise<number> {
  const out = await h.docker('ps', '-q', '--filter', `label=io.shoal.service.name=${service}`);
  return out.split('\n').filter(Boolean).length;
}

/** A random base-36 string of `n` characters that is not `avoid`. */
function base36(n: number, ...avoid: string[]): string {
  for (;;) {
    const s = Array.from({ length: n }, () => BASE36[randomInt(BASE36.length)]).join('');
    if (!avoid.includes(s)) return s;
  }
}

/** `SHOAL-1-<digest>-<secret>` into its parts. */
function tokenParts(token: string): { digest: string; secret: string } {
  const m = /^SHOAL-1-([0-9a-z]+)-([0-9a-z]+)$/.exec(token.trim());
  if (!m) throw new Error(`not a join token: ${token}`);
  return { digest: m[1]!, secret: m[2]! };
}

/**
 * A node script, run in a host's namespace, that opens a Dispatcher Session to `target` over TLS
 * without a client certificate, and prints what happened as one JSON line.
 */
function sessionWithoutCertScript(root: string, target: string): string {
  return `
import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(`${root}/package.json`)});
const grpc = require('@grpc/grpc-js');
const { loadProtos } = await import(${JSON.stringify(`${root}/packages/common/dist/rpc/index.js`)});
const protos = loadProtos();
const client = new protos.Dispatcher(${JSON.stringify(target)}, grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false }));
const done = (o) => { console.log(JSON.stringify(o)); client.close(); process.exit(0); };
const call = client.Session({ nodeId: 'intruder', descriptionJson: '{}', addr: 'intruder:4242' });
call.on('data', (m) => done({ data: m }));
call.on('error', (e) => done({ code: e.code, status: grpc.status[e.code], details: e.details }));
call.on('end', () => done({ end: true }));
setTimeout(() => done({ timeout: true }), 15000);
`;
}

let cluster: Cluster | undefined;

function c(): Cluster {
  if (!cluster) throw new Error('no cluster');
  return cluster;
}

describe('many nodes: join, refuse, place, cut and heal, drain, leave', () => {
  let workerToken = '';
  let managerToken = '';

  beforeAll(async () => {
    cluster = await createTestCluster({ hosts: 4, name: 'many-nodes' });
    await Promise.all(c().hosts.map((h) => h.startShoald()));
  });

  afterAll(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });

  it('inits on h1, joins h2 and h3 as workers with the worker token: 3 Ready nodes', async () => {
    const [h1, h2, h3] = [c().host(1), c().host(2), c().host(3)];
    const init = await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
    expect(init).toMatch(/Swarm initialized: current node \(\w+\) is now a manager\./);

    workerToken = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'worker')).trim();
    managerToken = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'manager')).trim();
    expect(workerToken).toMatch(/^SHOAL-1-[0-9a-z]+-[0-9a-z]+$/);
    expect(managerToken).toMatch(/^SHOAL-1-[0-9a-z]+-[0-9a-z]+$/);
    expect(workerToken).not.toBe(managerToken);
    // same swarm, same CA: only the secrets differ
    expect(tokenParts(workerToken).digest).toBe(tokenParts(managerToken).digest);

    for (const w of [h2, h3]) {
      const out = await shoalOk(w, 'swarm', 'join', '--token', workerToken, `${h1.addr}:${MANAGER_PORT}`);
      expect(out).toContain('This node joined a swarm as a worker.');
    }

    const ready = await waitFor(
      '3 Ready nodes',
      async () => {
        const ns = await nodes(h1);
        return ns.length === 3 && ns.every((n) => n.Status === 'Ready') ? ns : undefined;
      },
      30_000,
    );
    expect(ready.map((n) => n.Hostname).sort()).toEqual(['h1', 'h2', 'h3']);
    expect(ready.find((n) => n.Hostname === 'h1')).toMatchObject({ ManagerStatus: 'Leader', Self: true });
    for (const w of ['h2', 'h3']) expect(ready.find((n) => n.Hostname === w)).toMatchObject({ ManagerStatus: '', Availability: 'Active' });
  });

  it('refuses a token with the right CA digest and a wrong secret, in one line', async () => {
    const [h1, h4] = [c().host(1), c().host(4)];
    const { digest, secret } = tokenParts(workerToken);
    const wrong = `SHOAL-1-${digest}-${base36(secret.length, secret, tokenParts(managerToken).secret)}`;
    const args = ['swarm', 'join', '--token', wrong, `${h1.addr}:${MANAGER_PORT}`];
    const r = await h4.shoal(...args);
    expect(r.code, describeRun(args, r)).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Error: .*invalid join token/i);
    expect(r.stdout).not.toContain('joined');
  });

  it('refuses a token whose CA digest is not the swarm CA', async () => {
    const [h1, h4] = [c().host(1), c().host(4)];
    const { digest, secret } = tokenParts(workerToken);
    const otherSwarm = `SHOAL-1-${base36(digest.length, digest)}-${secret}`;
    const args = ['swarm', 'join', '--token', otherSwarm, `${h1.addr}:${MANAGER_PORT}`];
    const r = await h4.shoal(...args);
    expect(r.code, describeRun(args, r)).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Error: .*CA does not match the join token/);
    expect(r.stdout).not.toContain('joined');
  });

  it('refuses a dispatcher Session from a client without a certificate', async () => {
    const [h1, h4] = [c().host(1), c().host(4)];
    const r = await h4.exec('node', ['--input-type=module', '-e', sessionWithoutCertScript(h4.root, `${h1.addr}:${MANAGER_PORT}`)], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const outcome = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { status?: string; details?: string };
    expect(outcome.status, JSON.stringify(outcome)).toMatch(/^(UNAUTHENTICATED|PERMISSION_DENIED)$/);
    expect(outcome.details).toContain('no verified node certificate');
  });

  it('after the refusals, still exactly 3 nodes and the outsider is in no swarm', async () => {
    const [h1, h4] = [c().host(1), c().host(4)];
    const ns = await nodes(h1);
    expect(ns.map((n) => n.Hostname).sort()).toEqual(['h1', 'h2', 'h3']);
    const r = await h4.shoal('node', 'ls');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('This node is not a swarm manager');
  });

  it("a worker's CLI cannot call the control API", async () => {
    const r = await c().host(2).shoal('node', 'ls');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('This node is not a swarm manager');
  });

  it('places node.role==worker tasks on both workers and none on the manager; node.labels.zone==a on h2 only', async () => {
    const [h1, h2, h3] = [c().host(1), c().host(2), c().host(3)];
    await shoalOk(h1, 'service', 'create', '-d', '--name', 'web', '--replicas', String(REPLICAS), '--constraint', 'node.role==worker', 'shoal/hello:latest');
    const tasks = await waitFor(`${REPLICAS} running web tasks`, async () => {
      const ts = await runningTasks(h1, 'web');
      return ts.length === REPLICAS ? ts : undefined;
    });
    const placed = new Set(tasks.map((t) => t.Node));
    expect([...placed].sort()).toEqual(['h2', 'h3']);
    const counts = await waitFor('the engines to agree', async () => {
      const n = { h1: await containers(h1, 'web'), h2: await containers(h2, 'web'), h3: await containers(h3, 'web') };
      return n.h2 + n.h3 === REPLICAS ? n : undefined;
    });
    expect(counts.h1).toBe(0);
    expect(counts.h2).toBeGreaterThan(0);
    expect(counts.h3).toBeGreaterThan(0);
    expect(tasks.filter((t) => t.Node === 'h2')).toHaveLength(counts.h2);

    expect((await shoalOk(h1, 'node', 'update', '--label-add', 'zone=a', 'h2')).trim()).toBe('h2');
    await shoalOk(h1, 'service', 'create', '-d', '--name', 'zoned', '--replicas', '3', '--constraint', 'node.labels.zone==a', 'shoal/hello:latest');
    const zoned = await waitFor('3 running zoned tasks', async () => {
      const ts = await runningTasks(h1, 'zoned');
      return ts.length === 3 ? ts : undefined;
    });
    expect(zoned.map((t) => t.Node)).toEqual(['h2', 'h2', 'h2']);
    expect(await containers(h2, 'zoned')).toBe(3);
    expect(await containers(h3, 'zoned')).toBe(0);
    expect(await containers(h1, 'zoned')).toBe(0);

    // out of the way of the counts below
    await shoalOk(h1, 'service', 'rm', 'zoned');
    await waitFor('zoned containers to stop', async () => ((await containers(h2, 'zoned')) === 0 ? true : undefined), 30_000);
  });

  it('cut h3 off: its web tasks run on h2; heal: the stale ones stop, nothing runs twice', async () => {
    const [h1, h2, h3] = [c().host(1), c().host(2), c().host(3)];
    const onH3 = await containers(h3, 'web');
    expect(onH3).toBeGreaterThan(0);

    await h3.cut();
    const cutAt = Date.now();
    await waitFor(`${REPLICAS} web containers on h2`, async () => ((await containers(h2, 'web')) === REPLICAS ? true : undefined), 60_000, 100);
    const seconds = (Date.now() - cutAt) / 1000;
    console.log(`cut→rescheduled: ${seconds.toFixed(1)} s`);

    // the manager sees h3 down and all replicas running on h2
    await waitFor('h3 Down and 6 running tasks on h2 in the CLI', async () => {
      const ns = await nodes(h1);
      const ts = await runningTasks(h1, 'web');
      return ns.find((n) => n.Hostname === 'h3')?.Status === 'Down' && ts.length === REPLICAS && ts.every((t) => t.Node === 'h2') ? true : undefined;
    }, 30_000);
    // cut off, h3's agent keeps its containers running
    expect(await containers(h3, 'web')).toBe(onH3);

    await h3.heal();
    await waitFor('h3 Ready again and its stale web containers stopped', async () => {
      const ns = await nodes(h1);
      return ns.find((n) => n.Hostname === 'h3')?.Status === 'Ready' && (await containers(h3, 'web')) === 0 ? true : undefined;
    }, 60_000);
    expect((await containers(h2, 'web')) + (await containers(h3, 'web'))).toBe(REPLICAS);
    expect(await containers(h2, 'web')).toBe(REPLICAS);
    const ts = await runningTasks(h1, 'web');
    expect(ts).toHaveLength(REPLICAS);
    expect(ts.every((t) => t.Node === 'h2')).toBe(true);
  });

  it('drain h2: make-before-break, the running count never drops below the replicas', async () => {
    const [h1, h2, h3] = [c().host(1), c().host(2), c().host(3)];
    let polling = true;
    const seen: { at: number; h2: number; h3: number }[] = [];
    // h2 (the drained node) first, then h3: a task that stopped on h2 before the first look has
    // its replacement running on h3 by the second, so sequential looks never under-count.
    const poller = (async () => {
      while (polling) {
        const a = await containers(h2, 'web');
        const b = await containers(h3, 'web');
        seen.push({ at: Date.now(), h2: a, h3: b });
        await sleep(200);
      }
    })();
    try {
      await sleep(400);
      expect((await shoalOk(h1, 'node', 'update', '--availability', 'drain', 'h2')).trim()).toBe('h2');
      await waitFor(
        `${REPLICAS} web containers on h3 and none on h2`,
        async () => {
          const last = seen[seen.length - 1];
          return last && last.h2 === 0 && last.h3 === REPLICAS ? true : undefined;
        },
        90_000,
        200,
      );
    } finally {
      polling = false;
      await poller;
    }
    const low = seen.filter((s) => s.h2 + s.h3 < REPLICAS);
    expect(low, `counts below ${REPLICAS}: ${JSON.stringify(low.slice(0, 5))} of ${seen.length} looks`).toEqual([]);
    expect(seen.some((s) => s.h2 > 0 && s.h3 > 0)).toBe(true);
    expect((await nodes(h1)).find((n) => n.Hostname === 'h2')?.Availability).toBe('Drain');
    const ts = await runningTasks(h1, 'web');
    expect(ts.map((t) => t.Node)).toEqual(Array(REPLICAS).fill('h3'));

    await shoalOk(h1, 'node', 'update', '--availability', 'active', 'h2');
    expect((await nodes(h1)).find((n) => n.Hostname === 'h2')?.Availability).toBe('Active');
  });

  it('swarm leave on the worker h3: it shows Down and its tasks run on h2', async () => {
    const [h1, h2, h3] = [c().host(1), c().host(2), c().host(3)];
    expect(await shoalOk(h3, 'swarm', 'leave')).toContain('Node left the swarm.');
    await waitFor('h3 Down', async () => ((await nodes(h1)).find((n) => n.Hostname === 'h3')?.Status === 'Down' ? true : undefined), 30_000);
    await waitFor(`${REPLICAS} web tasks running on h2`, async () => {
      const ts = await runningTasks(h1, 'web');
      return ts.length === REPLICAS && ts.every((t) => t.Node === 'h2') && (await containers(h2, 'web')) === REPLICAS ? true : undefined;
    }, 60_000);
    await waitFor('no web container left on h3', async () => ((await containers(h3, 'web')) === 0 ? true : undefined), 30_000);
    const r = await h3.shoal('node', 'ls');
    expect(r.stderr).toContain('This node is not a swarm manager');
    expect((await nodes(h1)).map((n) => n.Hostname).sort()).toEqual(['h1', 'h2', 'h3']);
  });
});

/** `time` (ms) of each log line of a host's shoald with message `msg` (pino JSON lines). */
async function logTimes(h: ClusterHost, msg: string): Promise<number[]> {
  const text = await h.shoaldLog();
  const times: number[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(msg)) continue;
    try {
      const o = JSON.parse(line) as { msg?: string; time?: number };
      if (o.msg === msg && typeof o.time === 'number') times.push(o.time);
    } catch {
      /* not a JSON line */
    }
  }
  return times;
}

describe('certificates renew before they expire (30 s life)', () => {
  const LIFE_MS = 30_000;

  beforeAll(async () => {
    cluster = await createTestCluster({ hosts: 2, name: 'cert-renewal' });
    await Promise.all(c().hosts.map((h) => h.startShoald()));
  });

  afterAll(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });

  it('renews the manager and worker certificates; both nodes stay Ready past the first expiry', async () => {
    const [h1, h2] = [c().host(1), c().host(2)];
    await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr, '--cert-expiry', '30s');
    const initAt = Date.now();
    const token = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'worker')).trim();
    await shoalOk(h2, 'swarm', 'join', '--token', token, `${h1.addr}:${MANAGER_PORT}`);
    const joinedAt = Date.now();
    await waitFor('2 Ready nodes', async () => {
      const ns = await nodes(h1);
      return ns.length === 2 && ns.every((n) => n.Status === 'Ready') ? true : undefined;
    }, 30_000);

    // both renew between 50% and 80% of the life; wait until each renewed once
    await waitFor(
      'both nodes to renew their certificate',
      async () => ((await logTimes(h1, 'node certificate renewed')).length > 0 && (await logTimes(h2, 'node certificate renewed')).length > 0 ? true : undefined),
      LIFE_MS + 10_000,
      500,
    );
    const firstH1 = (await logTimes(h1, 'node certificate renewed'))[0]!;
    const firstH2 = (await logTimes(h2, 'node certificate renewed'))[0]!;
    expect(firstH1).toBeLessThan(initAt + LIFE_MS);
    expect(firstH2).toBeLessThan(joinedAt + LIFE_MS);

    // past the original certificates' expiry (and past a few missed heartbeats' worth), still Ready
    const past = Math.max(initAt, joinedAt) + LIFE_MS + 5_000;
    await sleep(Math.max(0, past - Date.now()));
    const ns = await nodes(h1);
    expect(ns.map((n) => [n.Hostname, n.Status])).toEqual(expect.arrayContaining([['h1', 'Ready'], ['h2', 'Ready']]));
    expect(ns).toHaveLength(2);
    expect(await h1.shoaldLog()).not.toMatch(/certificate renewal failed/);
    expect(await h2.shoaldLog()).not.toMatch(/certificate renewal failed/);
  });
});
