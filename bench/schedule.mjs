#!/usr/bin/env node
// npm run bench:schedule — measures, never asserts. Needs `npm run build`.
// 3 real shoald managers on loopback (bench/lib/loopback-cluster.mjs), BENCH_NODES hollow nodes
// (bench/hollow: the real agent with a fake runtime), BENCH_SERVICES services totalling
// BENCH_TASKS tasks: half constrained to one of 4 zones (engine label given at join), a quarter
// spread over zones. Reports the time to the first, 50/99/100% RUNNING (the hollow nodes' count,
// then the leader's store confirms 100%), placements/s (tasks delivered to nodes, which the
// dispatcher sends only once committed through Raft), the leader's CPU hot spots, the managers'
// peak RSS, then the time until every task is gone after removing every service.
import { cpuSeconds, HOLLOW_SHOALD_FLAGS, peakRssMb, retrying, startLoopbackCluster } from './lib/loopback-cluster.mjs';
import { rmSync } from 'node:fs';
import { startFleet } from './hollow/hollow-fleet.mjs';
import { formatHotSpots, topSelfTime } from './cpuprofile-top.mjs';
import { benchServiceSpec } from './service-spec.mjs';
import { progressReporter, untilProgress } from './lib/progress.mjs';

const ZONES = 4;
const env = (name, fallback) => Number(process.env[name] ?? fallback);
/** A wait fails when its counts have not moved for this long (BENCH_STALL_S, default 120). */
const STALL_MS = env('BENCH_STALL_S', 120) * 1000;
/** Agents on loopback share one source address: the managers must take their handshakes at once. */
const secs = (ms) => (ms === undefined ? undefined : Math.round(ms / 10) / 100);

/** Service i of n: every other one constrained to a zone, every fourth spread over zones. */
function serviceSpec(i, replicas) {
  const spec = benchServiceSpec(`bench-${i}`, replicas);
  if (i % 2 === 1) spec.task.placement.constraints = [`engine.labels.zone==z${i % ZONES}`];
  if (i % 4 === 0) spec.task.placement.spreadPreferences = ['engine.labels.zone'];
  return spec;
}

/** Runs `fn` over 0..n-1 with at most `limit` at once. */
async function pool(n, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

/** Counts tasks in the leader's store whose observed state is running (every page). */
async function storeRunning(client) {
  const tasks = await client.listTasks({});
  return { total: tasks.length, running: tasks.filter((t) => t.status.state === 'running').length };
}

/** Samples the fleet's counts every `everyMs` until stopped: [{ t, running, created }]. */
function sampler(fleet, t0, everyMs = 100) {
  const samples = [];
  const timer = setInterval(() => samples.push({ t: performance.now() - t0, ...fleet.counts() }), everyMs);
  return { samples, stop: () => clearInterval(timer) };
}

/** How many nodes have joined and are ready (the join phase's progress line). */
async function readyNodes(client, nodes) {
  const list = await client.listNodes();
  return `${list.filter((n) => n.status.state === 'ready').length} ready of ${list.length} joined (${nodes} hollow + managers)`;
}

/** The fleet's counts as an untilProgress probe. */
function fleetMark(fleet, done) {
  const c = fleet.counts();
  return { done: done(c), mark: `${c.running} running, ${c.created} created on the nodes` };
}

/** The leader's store as an untilProgress probe. */
async function storeMark(client, done) {
  const c = await storeRunning(client);
  return { done: done(c), mark: `${c.running} running of ${c.total} tasks in the store` };
}

const firstAt = (samples, pred) => samples.find(pred)?.t;

/** The run, with the leader's hot spots: { flat, hotSpots, profile }. */
export async function benchScheduleWithProfile(o = {}) {
  const nodes = o.nodes ?? env('BENCH_NODES', 1000);
  const tasks = o.tasks ?? env('BENCH_TASKS', 100_000);
  const services = Math.min(tasks, o.services ?? env('BENCH_SERVICES', 100));
  const perProcess = o.perProcess ?? env('BENCH_NODES_PER_PROCESS', 250);
  const replicasOf = (i) => Math.floor(tasks / services) + (i < tasks % services ? 1 : 0);
  const cluster = await startLoopbackCluster({ profile: true, shoaldFlags: HOLLOW_SHOALD_FLAGS });
  let fleet;
  const progress = progressReporter({ label: 'schedule', cluster, counts: () => (fleet ? `running ${fleet.counts().running}/${tasks}, created ${fleet.counts().created}` : readyNodes(cluster.members[0].client, nodes)) });
  let leader = 0;
  const out = { schedule_nodes: nodes, schedule_tasks: tasks, schedule_services: services };
  try {
    const client = cluster.members[0].client;
    // The services publish no ports: without the routing mesh's ingress network, a node joining
    // does not change every node's network table (each change makes the managers' own agents
    // re-read the kernel with `ip`, a process spawned from a manager of hundreds of MB).
    // BENCH_INGRESS=1 keeps it.
    if (process.env.BENCH_INGRESS !== '1') await retrying(() => client.removeNetwork('ingress'), { doneIf: ['E_NOT_FOUND'] });
    let t = performance.now();
    progress.phase(`joining ${nodes} hollow nodes`);
    fleet = await startFleet({ remoteAddr: cluster.joinAddr, token: cluster.workerToken, count: nodes, perProcess, joinConcurrency: 8, labelsFor: (i) => ({ zone: `z${i % ZONES}` }) });
    await untilProgress('every hollow node ready', async () => {
      const ready = (await client.listNodes()).filter((n) => n.status.state === 'ready').length;
      return { done: ready >= nodes + cluster.members.length, mark: `${ready} of ${nodes + cluster.members.length} nodes ready` };
    }, { stallMs: STALL_MS, timeoutMs: 600_000, everyMs: 500 });
    out.schedule_join_s = secs(performance.now() - t);

    const t0 = performance.now();
    const s = sampler(fleet, t0);
    progress.phase(`creating ${services} services`);
    let servicesCreated = 0;
    const creating = pool(services, 4, (i) => retrying(() => client.createService(serviceSpec(i, replicasOf(i))), { doneIf: ['E_ALREADY_EXISTS'] }).then(() => servicesCreated++));
    // The creates retry through leader changes; a run where nothing moves fails with the counts.
    const watchdog = untilProgress('the services to be created', () => {
      const c = fleet.counts();
      return { done: servicesCreated === services, mark: `${servicesCreated} of ${services} services created, ${c.created} tasks created and ${c.running} running on the nodes` };
    }, { stallMs: STALL_MS, everyMs: 500 });
    await Promise.all([creating, watchdog]);
    out.schedule_create_calls_s = secs(performance.now() - t0);
    progress.phase('waiting for every task to run');
    await untilProgress('every task running on the hollow nodes', () => fleetMark(fleet, (c) => c.running >= tasks), { stallMs: STALL_MS });
    progress.phase('checking the store');
    await untilProgress('the store to say every task is running', () => storeMark(client, (c) => c.running >= tasks), { stallMs: STALL_MS, everyMs: 250 });
    const allRunningMs = performance.now() - t0;
    s.stop();
    out.schedule_first_running_s = secs(firstAt(s.samples, (x) => x.running > 0));
    out.schedule_50pct_running_s = secs(firstAt(s.samples, (x) => x.running >= tasks * 0.5));
    out.schedule_99pct_running_s = secs(firstAt(s.samples, (x) => x.running >= tasks * 0.99));
    out.schedule_100pct_running_on_nodes_s = secs(firstAt(s.samples, (x) => x.running >= tasks));
    out.schedule_100k_running_s = secs(allRunningMs);
    const delivered = firstAt(s.samples, (x) => x.created >= tasks) ?? allRunningMs;
    out.schedule_placements_per_s = Math.round(tasks / (delivered / 1000));

    t = performance.now();
    progress.phase('removing every service');
    await pool(services, 4, (i) => retrying(() => client.removeService(`bench-${i}`), { doneIf: ['E_NOT_FOUND'] }));
    progress.phase('waiting for every task to go');
    await untilProgress('every task gone from the nodes', () => fleetMark(fleet, (c) => c.running === 0), { stallMs: STALL_MS });
    await untilProgress('every task gone from the store', () => storeMark(client, (c) => c.total === 0), { stallMs: STALL_MS, everyMs: 250 });
    out.schedule_remove_all_s = secs(performance.now() - t);
    leader = await cluster.leaderIndex();
    const rss = cluster.peakRss();
    out.manager_peak_rss_mb = Math.max(...Object.values(rss).filter((x) => x !== undefined));
    out.leader_peak_rss_mb = rss[leader];
    out.hollow_join_per_s = Math.round(nodes / out.schedule_join_s);
    // Is one hollow process the bottleneck? Its CPU seconds against the run's wall time say.
    const hollowCpu = fleet.pids().map(cpuSeconds).filter((x) => x !== undefined);
    out.hollow_processes = hollowCpu.length;
    out.hollow_max_process_cpu_s = Math.max(...hollowCpu);
    out.hollow_max_process_rss_mb = Math.max(...fleet.pids().map((p) => peakRssMb(p) ?? 0));
    out.leader_cpu_s = cpuSeconds(cluster.members[leader].pid);
  } finally {
    progress.stop();
    await fleet?.stop();
    await cluster.stop({ keep: true });
  }
  const prof = cluster.cpuProfiles().find((p) => p.index === leader);
  const spots = prof ? topSelfTime(prof.path, 20) : undefined;
  // The data directories (and the profiles) stay only when asked: BENCH_KEEP=1.
  const keep = process.env.BENCH_KEEP === '1';
  if (!keep) rmSync(cluster.root, { recursive: true, force: true });
  return { flat: out, hotSpots: spots, profile: keep ? prof?.path : 'removed; BENCH_KEEP=1 keeps it' };
}

/** One flat object of numbers whose names end in their unit (bench/results/latest.json). */
export async function benchSchedule(o = {}) {
  return (await benchScheduleWithProfile(o)).flat;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { flat, hotSpots: spots, profile } = await benchScheduleWithProfile();
  if (spots) console.log(`leader CPU hot spots (self time; ${profile}):\n${formatHotSpots(spots)}`);
  console.log(JSON.stringify(flat));
}
