import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/exec.js';
import type { Cluster, ClusterHost } from '../harness/cluster.js';
import { createTestCluster } from '../harness/provider.js';
import { describeRun, jsonLines, nodes, shoalOk, type TaskRow } from './cli-helpers.js';

/**
 * Issue 8: a worker's poisoned input leaves every node serving. h1 and h2 are managers; h3 is a
 * worker that calls itself h2 (two nodes may share a hostname, as in Docker). A script on h3
 * takes h3's certificate from its data dir and, as h3, sends the leader's dispatcher a null
 * description, 5 MB hostnames, 7 MB task statuses, wrong types, states only the manager sets
 * and undecodable bytes (test/hostile/poison-dispatcher.ts). Each must be refused in one line;
 * afterwards `node ls`, `node inspect` and `service ps` work on every manager and every node
 * still answers on its published port.
 * Needs root, Docker Engine and the local images (scripts/setup-host.sh), and `npm run build`.
 */

const PORT = 4242;
const WEB_PORT = 8080;

interface Outcome {
  name: string;
  code: number;
  details: string;
  expected: 'refused' | 'undecodable' | 'ignored' | 'session';
}

let cluster: Cluster | undefined;

function host(n: number): ClusterHost {
  if (!cluster) throw new Error('no cluster');
  return cluster.host(n);
}

async function webTasks(h: ClusterHost): Promise<TaskRow[]> {
  return jsonLines<TaskRow>(await shoalOk(h, 'service', 'ps', '--no-trunc', '--format', 'json', '-f', 'desired-state=running', 'web'));
}

/** The task of the global service `web` on node `nodeId` (its name is web.<node ID> untruncated). */
const taskOn = (tasks: TaskRow[], nodeId: string) => tasks.find((t) => t.Name === `web.${nodeId}`);

let workerId = '';

/** What the tasks and the daemons said, for a setup that did not converge. */
async function diagnose(): Promise<string> {
  const ps = await host(1).shoal('service', 'ps', '--no-trunc', 'web');
  const stuck = (await webTasks(host(1)).catch(() => [])).filter((t) => !t.CurrentState.startsWith('Running')).map((t) => t.ID);
  const logs = await Promise.all([1, 2, 3].map(async (n) => {
    const lines = (await host(n).shoaldLog()).split('\n');
    const told = lines.filter((l) => /"level":(40|50)/.test(l) || stuck.some((id) => l.includes(id)) || l.includes('refused'));
    return `--- h${n}: warnings, refusals and the stuck tasks ---\n${told.slice(-25).map((l) => l.slice(0, 400)).join('\n')}`;
  }));
  return [ps.stdout, ps.stderr, ...logs].join('\n');
}

describe('a worker that poisons the dispatcher', () => {
  beforeAll(async () => {
    cluster = await createTestCluster({ hosts: 3, name: 'poisoned-worker' });
    const [h1, h2, h3] = [host(1), host(2), host(3)];
    await Promise.all([h1.startShoald(), h2.startShoald(), h3.startShoald(['--hostname', 'h2'])]);
    await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
    const managerToken = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'manager')).trim();
    const workerToken = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'worker')).trim();
    await shoalOk(h2, 'swarm', 'join', '--token', managerToken, `${h1.addr}:${PORT}`);
    await shoalOk(h3, 'swarm', 'join', '--token', workerToken, `${h1.addr}:${PORT}`);
    const ready = await waitFor('3 Ready nodes', async () => {
      const ns = await nodes(h1);
      return ns.length === 3 && ns.every((n) => n.Status === 'Ready') ? ns : undefined;
    }, 60_000);
    workerId = ready.find((n) => n.ManagerStatus === '')!.ID;
    await shoalOk(h1, 'service', 'create', '-d', '--name', 'web', '--mode', 'global', '-p', `${WEB_PORT}:80`, 'shoal/hello:latest');
    await waitFor('web running on 3 nodes', async () => {
      const tasks = await webTasks(h1);
      return tasks.filter((t) => t.CurrentState.startsWith('Running')).length === 3 ? true : undefined;
    }, 180_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await diagnose()}`);
    });
  }, 360_000);

  afterAll(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });

  it("refuses, in one line each, everything poisoned that a worker's certificate sends", async () => {
    const [h1, h3] = [host(1), host(3)];
    const full = (await shoalOk(h1, 'node', 'inspect', workerId)).includes(workerId);
    expect(full).toBe(true);
    const tasks = await webTasks(h1);
    const own = taskOn(tasks, workerId)!;
    const foreign = tasks.find((t) => t !== own)!;
    const args = {
      target: `${h1.addr}:${PORT}`,
      dataDir: '/var/lib/shoal-e2e/h3/shoal',
      poison: { nodeId: workerId, addr: `${h3.addr}:${PORT}`, hostname: 'h2', ownTaskIds: [own.ID], foreignTaskId: foreign.ID },
    };
    const r = await h3.exec(`${h3.root}/node_modules/.bin/tsx`, [`${h3.root}/e2e/cluster/poisoned-worker-attack.ts`, JSON.stringify(args)], { timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    const outcomes = jsonLines<Outcome>(r.stdout);
    expect(outcomes.length).toBeGreaterThanOrEqual(14);
    for (const o of outcomes) {
      const want = { refused: 3, undecodable: 13, ignored: 0, session: 0 }[o.expected];
      expect({ name: o.name, code: o.code }, JSON.stringify(o)).toEqual({ name: o.name, code: want });
      if (o.expected === 'refused') expect(o.details).toMatch(/^(session|task status) refused: \S.{0,250}$/);
    }
    const log = await h1.shoaldLog();
    expect(log.split('\n').filter((l) => l.includes('refused input from node') && l.includes(workerId)).length).toBeGreaterThanOrEqual(8);
  }, 240_000);

  it('afterwards node ls, node inspect and service ps work on every manager, and every node serves', async () => {
    const [h1, h2, h3] = [host(1), host(2), host(3)];
    for (const h of [h1, h2]) {
      const ns = await waitFor(`3 Ready nodes on ${h.name}`, async () => {
        const rows = await nodes(h);
        return rows.length === 3 && rows.every((n) => n.Status === 'Ready') ? rows : undefined;
      }, 60_000);
      expect(ns.map((n) => n.Hostname).sort()).toEqual(['h1', 'h2', 'h2']);
      for (const n of ns) expect(JSON.parse(await shoalOk(h, 'node', 'inspect', n.ID))).toHaveLength(1);
      const tasks = await webTasks(h);
      expect(tasks.map((t) => t.CurrentState.split(' ')[0])).toEqual(['Running', 'Running', 'Running']);
      expect(taskOn(tasks, workerId)).toBeDefined();
    }
    const r = await h3.shoal('node', 'ls');
    expect(r.stderr).toContain('This node is not a swarm manager');
    for (const from of [h1, h2, h3]) expect((await from.curl(WEB_PORT)).trim().length).toBeGreaterThan(0);
  }, 180_000);

  it('two nodes named h2: node inspect h2 names both candidates in one line, after Docker', async () => {
    const h1 = host(1);
    const ids = (await nodes(h1)).filter((n) => n.Hostname === 'h2').map((n) => n.ID);
    const full = await Promise.all(ids.map(async (id) => (JSON.parse(await shoalOk(h1, 'node', 'inspect', id)) as { id: string }[])[0]!.id));
    const args = ['node', 'inspect', 'h2'];
    const r = await h1.shoal(...args);
    expect(r.code, describeRun(args, r)).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('node h2 is ambiguous (2 matches found): ');
    for (const id of full) expect(r.stderr).toContain(id);
  }, 60_000);
});
