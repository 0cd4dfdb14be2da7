import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../harness/exec.js';
import type { Cluster } from '../harness/cluster.js';
import { describeRun } from './cli-helpers.js';
import {
  addressOn,
  containersOf,
  deployStack,
  SETUP_TIMEOUT_MS,
  NETAPP,
  oneContainer,
  overlayLeftovers,
  readLoop,
  settleLeftovers,
  firstSeen,
  startDnsWatch,
  startLoop,
  startOverlayCluster,
  stopLoop,
  uptimeS,
  type LoopCall,
  type TaskContainer,
} from './overlay-helpers.js';

/**
 * Issue 10's "Must show", what changes under a running stack, on 1 manager (h1) + 2 workers (h2,
 * h3) of the netns provider: a client on h1 calls a 2-replica back end on the workers by name,
 * without pause, while a back-end container is killed (after one second no call fails) and while
 * the back end scales 2 → 4 (the new tasks take calls within a second of their start). Then
 * `stack rm` and `swarm leave` on every node leave no shoal device, bridge, fdb/neighbour entry,
 * rule or Docker network behind. Needs root, Docker Engine, the local images
 * (scripts/setup-host.sh) and `npm run build`.
 */

const WORK = '/tmp/shoal-e2e/overlay-lifecycle';
const STACK = `services:
  client:
    image: ${NETAPP}
    command: [idle]
    networks: [net]
    deploy:
      placement:
        constraints: [node.hostname == h1]
  web:
    image: ${NETAPP}
    networks: [net]
    deploy:
      replicas: 2
      placement:
        constraints: [node.role == worker]
networks:
  net:
    driver: overlay
`;
/**
 * Calls that start this long after a kill must all succeed, and a new task must answer within this
 * long of its container's start. The issue's goal is one second; the tests print the times they
 * see, and `npm run bench:network` measures them. The bound here is 3 s so that a loaded CI
 * machine does not turn a figure into a failure (timings belong in benchmarks, not in pass/fail
 * tests); a task that never leaves or never joins still fails.
 */
const KILL_GRACE_S = 3;
const NEW_TASK_S = 3;

let cluster: Cluster | undefined;

function c(): Cluster {
  if (!cluster) throw new Error('no cluster');
  return cluster;
}

const client = () => oneContainer(c(), 'life_client');

/** Calls the client makes for `seconds` into `log`, read once it has stopped. */
async function callsDuring(caller: TaskContainer, log: string, during: () => Promise<void>, afterS: number): Promise<LoopCall[]> {
  await startLoop(caller, 'web', log);
  await waitFor('5 successful calls from client to web', async () => {
    const calls = await readLoop(caller, log);
    if (calls.filter((x) => x.ok).length >= 5) return true;
    const last = calls.at(-1);
    if (last && !last.ok) throw new Error(`client could not reach web: ${last.text}`);
    return undefined;
  }, 20_000, 200);
  await during();
  await sleep(afterS * 1000);
  await stopLoop(caller, log);
  await sleep(2_500);
  return readLoop(caller, log);
}

/** Seconds since boot at Date.now() = `epochMs` (the loop's clock is /proc/uptime). */
async function uptimeAt(epochMs: number): Promise<number> {
  const [now, up] = [Date.now(), await uptimeS()];
  return up - (now - epochMs) / 1000;
}

describe('overlay network: a back end killed and scaled under calls; nothing left after leave', () => {
  beforeAll(async () => {
    cluster = await startOverlayCluster('overlay-lifecycle');
    await deployStack(c().host(1), 'life', STACK, WORK, 120_000);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });

  it('each host running a task has the network\'s bridge and VXLAN device, with entries for the remote tasks', async () => {
    for (const h of c().hosts) {
      const links = (await h.exec('ip', ['-d', '-o', 'link', 'show'])).stdout;
      expect(links, `${h.name}: shoal's bridge (shb-*)`).toMatch(/: shb-\w+[:@]/);
      expect(links, `${h.name}: shoal's VXLAN device (shv-*)`).toMatch(/: shv-\w+[:@].*vxlan id \d+/);
      const fdb = (await h.exec('bridge', ['fdb', 'show'])).stdout;
      expect(fdb, `${h.name}: fdb entries towards the other hosts`).toMatch(/dev shv-\w+ dst 10\.99\.0\.\d+/);
    }
  });

  it('kill a back-end container: calls fail only for a moment (the time is printed), then none fails', async () => {
    const caller = await client();
    let killedAt = 0;
    let victim = '';
    const calls = await callsDuring(caller, '/tmp/kill.log', async () => {
      const [target] = await containersOf(c(), 'life_web');
      if (!target) throw new Error('no web container to kill');
      victim = `${target.id} on ${target.host.name}`;
      await target.host.docker('kill', target.id);
      killedAt = await uptimeS();
    }, 4);
    const failures = calls.filter((x) => !x.ok && x.end >= killedAt);
    const late = calls.filter((x) => x.start >= killedAt + KILL_GRACE_S);
    const lateFailures = late.filter((x) => !x.ok);
    const lastFailure = failures.at(-1);
    console.log(
      `killed ${victim}: ${failures.length} failed calls, ${lastFailure ? `the last started ${(lastFailure.start - killedAt).toFixed(2)} s after the kill` : 'none'}; ` +
        `${late.length} calls from ${KILL_GRACE_S} s on`,
    );
    expect(late.length, `calls made from ${KILL_GRACE_S} s after the kill`).toBeGreaterThanOrEqual(5);
    expect(lateFailures.map((x) => `${(x.start - killedAt).toFixed(2)} s after the kill: ${x.text}`), `calls to web that failed more than ${KILL_GRACE_S} s after the kill`).toEqual([]);
  });

  it('scale 2 → 4: the new tasks take calls within moments of their start (the time is printed)', async () => {
    const h1 = c().host(1);
    await waitFor('web back at 2 running containers', async () => ((await containersOf(c(), 'life_web')).length === 2 ? true : undefined), 30_000);
    const before = new Set((await containersOf(c(), 'life_web')).map((t) => t.id));
    const caller = await client();
    const started = new Map<string, number>();
    const addrs = new Map<string, string>();
    await startDnsWatch(caller, 'tasks.web', '/tmp/dns-watch.log');
    const calls = await callsDuring(caller, '/tmp/scale.log', async () => {
      const args = ['service', 'scale', '-d', 'life_web=4'];
      const r = await h1.shoal(...args);
      expect(r.code, describeRun(args, r)).toBe(0);
      const fresh = await waitFor('4 running web containers', async () => {
        const all = await containersOf(c(), 'life_web');
        return all.length === 4 ? all.filter((t) => !before.has(t.id)) : undefined;
      }, 30_000, 100);
      for (const t of fresh) {
        const at = Date.parse((await t.host.docker('inspect', '-f', '{{.State.StartedAt}}', t.id)).trim());
        started.set(t.id, await uptimeAt(at));
        addrs.set(t.id, await addressOn(t, 'life_net'));
      }
    }, 3);
    const inDns = await firstSeen(caller, '/tmp/dns-watch.log');
    expect(started.size, 'new web containers').toBe(2);
    const late: string[] = [];
    for (const [id, at] of started) {
      const first = calls.find((x) => x.ok && x.hostname === id);
      const delay = first ? first.end - at : Infinity;
      const dnsAt = inDns.get(addrs.get(id) ?? '');
      const dns = dnsAt === undefined ? 'not in tasks.web' : `in tasks.web after ${(dnsAt - at).toFixed(2)} s`;
      console.log(`new task ${id}: first answer ${first ? `${delay.toFixed(2)} s` : 'never'} after its container started (${dns})`);
      if (!(delay <= NEW_TASK_S)) late.push(`${id}: ${first ? `${delay.toFixed(2)} s` : 'no call reached it'} (${dns})`);
    }
    expect(late, `new tasks that took no call within ${NEW_TASK_S} s of their start`).toEqual([]);
    expect(calls.filter((x) => !x.ok).map((x) => x.text), 'calls that failed while web scaled').toEqual([]);
  });

  it('stack rm and swarm leave on every node leave no shoal device, bridge, entry, rule or network', async () => {
    const [h1, h2, h3] = [c().host(1), c().host(2), c().host(3)];
    for (const h of c().hosts) {
      const devices = (await overlayLeftovers(h)).filter((l) => l.startsWith('device: '));
      expect(devices.length, `${h.name} has shoal's overlay devices before the stack goes`).toBeGreaterThan(0);
    }
    const rm = await h1.shoal('stack', 'rm', 'life');
    expect(rm.code, describeRun(['stack', 'rm', 'life'], rm)).toBe(0);
    await waitFor('every task container to be gone', async () => {
      const left = await Promise.all(c().hosts.map((h) => h.docker('ps', '-aq', '--filter', 'label=io.shoal.stack=life')));
      return left.every((l) => !l.trim()) ? true : undefined;
    }, 60_000, 250);
    for (const [h, args] of [[h2, ['swarm', 'leave']], [h3, ['swarm', 'leave']], [h1, ['swarm', 'leave', '--force']]] as const) {
      const r = await h.shoal(...args);
      expect(r.code, `${h.name}: ${describeRun([...args], r)}`).toBe(0);
    }
    const left = await Promise.all(c().hosts.map(async (h) => (await settleLeftovers(h, 10_000)).map((l) => `${h.name} ${l}`)));
    expect(left.flat(), 'what shoal left behind').toEqual([]);
  });
});
