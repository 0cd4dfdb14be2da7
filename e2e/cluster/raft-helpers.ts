import { expect } from 'vitest';
import { sleep, waitFor } from '../harness/exec.js';
import type { Cluster, ClusterHost } from '../harness/cluster.js';
import { jsonLines, nodes, shoalOk } from './cli-helpers.js';

/** Shared by the Raft scenarios: a write is `service create --replicas 0` (one new object, no container). */

const PORT = 4242;

/** h1 inits; the others join with the manager token; waits until every manager is Reachable or Leader. */
export async function joinManagers(cluster: Cluster): Promise<ClusterHost[]> {
  const hosts = [...cluster.hosts];
  const n = hosts.length;
  await Promise.all(hosts.map((h) => h.startShoald()));
  const h1 = hosts[0]!;
  await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
  const token = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'manager')).trim();
  for (const h of hosts.slice(1)) {
    expect(await shoalOk(h, 'swarm', 'join', '--token', token, `${h1.addr}:${PORT}`)).toContain('This node joined a swarm as a manager.');
  }
  await waitFor(`${n} managers, one leader`, async () => {
    const ns = await nodes(h1);
    const statuses = ns.map((r) => r.ManagerStatus).sort();
    return ns.length === n && statuses.filter((s) => s === 'Leader').length === 1 && statuses.every((s) => s === 'Leader' || s === 'Reachable') ? true : undefined;
  }, 60_000);
  return hosts;
}

export async function write(h: ClusterHost, name: string): Promise<{ ok: boolean; stderr: string }> {
  const r = await h.shoal('service', 'create', '-d', '--name', name, '--replicas', '0', 'shoal/busybox:latest', 'sleep', '1000');
  return { ok: r.code === 0, stderr: r.stderr.trim() };
}

export async function writeOk(h: ClusterHost, name: string): Promise<void> {
  const r = await write(h, name);
  if (!r.ok) throw new Error(`${h.name}: write ${name} failed: ${r.stderr}`);
}

/** Retries a write until it is acknowledged; returns how long that took. */
export async function writeWithin(h: ClusterHost, name: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const r = await write(h, name);
    if (r.ok) return Date.now() - start;
    if (r.stderr.includes('already exists')) return Date.now() - start; // an earlier attempt committed
    if (Date.now() - start > timeoutMs) throw new Error(`${h.name}: write ${name} not accepted within ${timeoutMs} ms: ${r.stderr}`);
    await sleep(50);
  }
}

export async function serviceNames(h: ClusterHost): Promise<string[]> {
  return jsonLines<{ Name: string }>(await shoalOk(h, 'service', 'ls', '--format', 'json')).map((s) => s.Name).sort();
}

