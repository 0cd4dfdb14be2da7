#!/usr/bin/env node
// npm run bench:failover (loopback part) — measures, never asserts. Needs `npm run build`.
// (a) The leader of 3 real shoald managers is killed (SIGKILL): time until a write (a node label)
//     is accepted through a surviving manager's control API; BENCH_FAILOVER_LEADER_RUNS runs (20),
//     the killed manager restarted between runs.
// (b) BENCH_NODES hollow nodes (1,000) run a service of 3 tasks per node; a node is cut off
//     (its process SIGSTOPped: no goodbye, its connections stay open and silent): time until as
//     many tasks run on the other nodes as before; BENCH_FAILOVER_WORKER_RUNS runs (5).
import { HOLLOW_SHOALD_FLAGS, retrying, startLoopbackCluster, until } from './lib/loopback-cluster.mjs';
import { startFleet } from './hollow/hollow-fleet.mjs';
import { percentile } from './percentile.mjs';
import { benchServiceSpec } from './service-spec.mjs';

const env = (name, fallback) => Number(process.env[name] ?? fallback);
const allReachable = async (cluster) => {
  const managers = (await cluster.members[0].client.listNodes()).filter((n) => n.spec.role === 'manager');
  return managers.every((n) => n.managerStatus?.reachability === 'reachable') ? true : undefined;
};

/** Milliseconds from SIGKILL of the leader to the first accepted write through a survivor. */
async function leaderRun(cluster, n) {
  const leader = await cluster.leaderIndex();
  const survivor = cluster.members.find((m) => m.index !== leader);
  const t0 = performance.now();
  await cluster.kill(leader);
  let ms;
  try {
    await until('a write accepted after the leader was killed', () => survivor.client.updateNode(survivor.nodeId, { labelAdd: { failover: String(n) } }).then(() => true), 60_000, 20);
    ms = performance.now() - t0;
  } catch (e) {
    process.stderr.write(`leader run ${n}: ${e.message}\n`);
  }
  await cluster.restart(leader);
  await settled(cluster, n);
  return ms;
}

/** Every manager reachable, and a write accepted through each one's control API. */
async function settled(cluster, n) {
  await until('every manager reachable', () => retrying(() => allReachable(cluster)), 120_000, 200);
  for (const m of cluster.members) await until(`a write through m${m.index}`, () => m.client.updateNode(m.nodeId, { labelAdd: { settled: String(n) } }).then(() => true), 120_000, 100);
}

export async function benchFailoverLeader(o = {}) {
  const runs = o.runs ?? env('BENCH_FAILOVER_LEADER_RUNS', 20);
  const cluster = await startLoopbackCluster();
  const times = [];
  let failed = 0;
  try {
    // The last manager to join is a learner until it has caught up: a leader killed before its
    // promotion leaves 1 of 2 voters. Settle once first, as between runs.
    await settled(cluster, -1);
    for (let i = 0; i < runs; i++) {
      const ms = await leaderRun(cluster, i);
      if (ms === undefined) failed++;
      else times.push(ms);
      process.stderr.write(`leader kill ${i + 1}/${runs}: ${ms === undefined ? 'no write within 60 s' : `${Math.round(ms)} ms`}\n`);
    }
  } finally {
    await cluster.stop();
  }
  return { failover_leader_runs: runs, failover_leader_failed_runs: failed, failover_leader_p50_ms: Math.round(percentile(times, 50)), failover_leader_p99_ms: Math.round(percentile(times, 99)), failover_leader_max_ms: Math.round(Math.max(...times)) };
}

export async function benchFailoverWorker(o = {}) {
  const nodes = o.nodes ?? env('BENCH_NODES', 1000);
  const runs = o.runs ?? env('BENCH_FAILOVER_WORKER_RUNS', 5);
  const perNode = 3;
  const replicas = (nodes + runs) * perNode;
  const cluster = await startLoopbackCluster({ shoaldFlags: HOLLOW_SHOALD_FLAGS });
  let fleet;
  const times = [];
  try {
    const client = cluster.members[0].client;
    fleet = await startFleet({ remoteAddr: cluster.joinAddr, token: cluster.workerToken, count: nodes, solo: runs });
    await until('every hollow node ready', async () => ((await client.listNodes()).filter((n) => n.status.state === 'ready').length >= nodes + runs + cluster.members.length ? true : undefined), 300_000, 500);
    await retrying(() => client.createService(benchServiceSpec('failover', replicas)), { doneIf: ['E_ALREADY_EXISTS'] });
    await until('every task running', () => (fleet.counts().running >= replicas ? true : undefined), 600_000, 100);
    for (const solo of fleet.soloNodes()) {
      const held = (await client.listTasks({ node: solo.nodeId })).filter((t) => t.nodeId === solo.nodeId && t.desiredState === 'running').length;
      const t0 = performance.now();
      fleet.cut(solo.nodeId);
      await until('the cut node\'s tasks running elsewhere', () => (fleet.counts().running >= replicas ? true : undefined), 120_000, 20);
      times.push(performance.now() - t0);
      process.stderr.write(`worker cut ${times.length}/${runs}: ${held} tasks, ${Math.round(times.at(-1))} ms\n`);
    }
  } finally {
    await fleet?.stop();
    await cluster.stop();
  }
  return { failover_worker_nodes: nodes, failover_worker_runs: runs, failover_worker_p50_ms: Math.round(percentile(times, 50)), failover_worker_p99_ms: Math.round(percentile(times, 99)) };
}

export async function benchFailover(o = {}) {
  return { ...(await benchFailoverLeader(o.leader)), ...(await benchFailoverWorker(o.worker)) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.env.BENCH_FAILOVER_ONLY;
  const out = only === 'leader' ? await benchFailoverLeader() : only === 'worker' ? await benchFailoverWorker() : await benchFailover();
  console.log(JSON.stringify(out));
}
