#!/usr/bin/env -S npx tsx
// npm run bench:converge — on 3 netns hosts with real Docker Engines (e2e/harness/netns), one
// scenario three ways in one run, repeated: shoal (3 managers), Docker Swarm mode on the same
// engines (3 managers), and the engines alone (the floor). Then a host cut for shoal and Swarm.
// Measures, never asserts. Needs root, `npm run build`, scripts/setup-host.sh; run it under
//   flock /tmp/shoal-e2e.lock npm run bench:converge
// Env: CONVERGE_RUNS (3), CONVERGE_REPLICAS (30), CONVERGE_ONLY (e.g. "floor,shoal"),
//      CONVERGE_CUT=0 to skip the host cuts; to see where the time goes:
//      CONVERGE_LOG_LEVEL=debug (shoald's level, and prints the create and cut instants to match
//      against /tmp/shoal-e2e/hN/shoald.log, and the cut's create/start timeline),
//      CONVERGE_CPU_PROF=dir (V8 profiles of every shoald over the converge window, or over an
//      idle window with CONVERGE_PROF_IDLE=1; `node bench/cpuprofile-top.mjs dir/*.cpuprofile`).
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { createCluster, destroyCluster } from '../e2e/harness/netns/index.ts';
import { cpuSeconds, engineOf, enginePids, inPool, median, removeAllWith, round, runningWith, spread, watchStarts } from './lib/netns-engines.mjs';

const IMAGE = 'shoal/busybox:latest';
/** A registry port nothing listens on: Swarm's pull fails at once and it uses the local image. */
const SWARM_IMAGE = '127.0.0.1:5999/shoal/busybox:latest';
const CMD = ['httpd', '-f', '-p', '8080'];
const SERVICE = 'web';
const CONVERGE_TIMEOUT_MS = 120_000;
const CUT_TIMEOUT_MS = 120_000;

const now = () => Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function shoalOk(h, ...args) {
  const r = await h.shoal(...args);
  if (r.code !== 0) throw new Error(`${h.name}: shoal ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}\n${h.logTail('shoald', 15)}`);
  return r.stdout;
}

async function until(what, probe, timeoutMs = 60_000) {
  const deadline = now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * The floor: the fastest way found to create and start the same containers through the Engine
 * API with no orchestrator. `perEngine` create+start calls in flight on each engine (each takes
 * every third container); CONVERGE_FLOOR_PER_ENGINE overrides FLOOR_PER_ENGINE. Swept on this
 * machine (30 containers, 3 engines, 2 cores; see bench/converge-floor-sweep.mjs): 1, 2, 3, 5
 * and 10 per engine within the noise of one another (12–14 s), create-all-then-start-all slower.
 */
export const FLOOR_PER_ENGINE = 3;

async function floor(hosts, replicas, perEngine = Number(process.env.CONVERGE_FLOOR_PER_ENGINE ?? FLOOR_PER_ENGINE)) {
  const engines = hosts.map(engineOf);
  const label = 'bench.floor';
  await removeAllWith(engines, label);
  const spec = { Image: IMAGE, Cmd: CMD, Labels: { [label]: 'true' }, HostConfig: { NetworkMode: 'bridge' } };
  const cpu = cpuMeter(hosts);
  const t0 = now();
  await Promise.all(
    engines.map((e, k) => {
      const mine = Array.from({ length: replicas }, (_, i) => i).filter((i) => i % engines.length === k);
      return inPool(mine, perEngine, async () => (await e.createContainer(spec)).start());
    }),
  );
  const s = (now() - t0) / 1000;
  const used = cpu();
  await removeAllWith(engines, label);
  return { converge_s: s, ...used };
}

/** Time from `t0` until the containers of the cut host are replaced on the others. */
async function cutAndWait(cluster, label) {
  const engines = cluster.hosts.map(engineOf);
  const victim = cluster.host(cluster.hosts.length);
  const lost = await runningWith(engineOf(victim), label);
  const survivors = engines.slice(0, -1);
  const starts = await watchStarts(survivors, label);
  const t0 = now();
  if (process.env.CONVERGE_LOG_LEVEL) console.error(`cut ${victim.name} at ${t0}`);
  await victim.cut();
  try {
    const t = await starts.waitFor(lost, t0, CUT_TIMEOUT_MS);
    if (process.env.CONVERGE_LOG_LEVEL) console.error(`cut timeline ${JSON.stringify(starts.timeline(t0))}`);
    return { hostcut_s: (t - t0) / 1000, lost };
  } finally {
    starts.close();
    await victim.heal();
  }
}

/** Docker Swarm mode on the same engines: all managers, `docker service create`, then a host cut. */
async function swarm(cluster, replicas, cut) {
  const [h1, ...others] = cluster.hosts;
  const engines = cluster.hosts.map(engineOf);
  const label = `com.docker.swarm.service.name=${SERVICE}`;
  try {
    await Promise.all(cluster.hosts.map((h) => h.docker('tag', IMAGE, SWARM_IMAGE)));
    await h1.docker('swarm', 'init', '--advertise-addr', h1.addr);
    const token = (await h1.docker('swarm', 'join-token', '-q', 'manager')).trim();
    for (const h of others) await h.docker('swarm', 'join', '--token', token, '--advertise-addr', h.addr, `${h1.addr}:2377`);
    await until('3 swarm nodes ready', async () => (await h1.docker('node', 'ls', '--format', '{{.Status}}')).split('\n').filter((l) => l.trim() === 'Ready').length === cluster.hosts.length);
    const starts = await watchStarts(engines, label);
    const cpu = cpuMeter(cluster.hosts);
    const t0 = now();
    const cli = h1.docker('service', 'create', '--detach', '--no-resolve-image', '--name', SERVICE, '--replicas', String(replicas), SWARM_IMAGE, ...CMD).then(() => now());
    const t = await starts.waitFor(replicas, t0, CONVERGE_TIMEOUT_MS).finally(() => starts.close());
    const out = { converge_s: (t - t0) / 1000, first_create_s: (starts.firstCreate(t0) - t0) / 1000, cli_exit_s: ((await cli) - t0) / 1000, ...cpu() };
    if (cut) Object.assign(out, await cutAndWait(cluster, label));
    return out;
  } finally {
    await h1.docker('service', 'rm', SERVICE).catch(() => {});
    for (const h of [...others].reverse()) await h.docker('swarm', 'leave', '--force').catch(() => {});
    await h1.docker('swarm', 'leave', '--force').catch(() => {});
    await removeAllWith(engines, 'com.docker.swarm.service.name');
  }
}

/** shoal: a fresh 3-manager cluster, `shoal service create --detach`, then a host cut. */
async function shoal(cluster, replicas, cut) {
  const [h1, ...others] = cluster.hosts;
  const engines = cluster.hosts.map(engineOf);
  const label = `io.shoal.service.name=${SERVICE}`;
  try {
    // the level a user runs (the harness's default is debug)
    await withProfiling(() => Promise.all(cluster.hosts.map((h) => h.startShoald(['--log-level', process.env.CONVERGE_LOG_LEVEL ?? 'info']))));
    await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
    const token = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'manager')).trim();
    for (const h of others) await shoalOk(h, 'swarm', 'join', '--token', token, `${h1.addr}:4242`);
    await until('3 shoal nodes ready', async () => (await shoalOk(h1, 'node', 'ls', '--format', 'json')).split('\n').filter((l) => l.trim() && JSON.parse(l).Status === 'Ready').length === cluster.hosts.length);
    const idle = await idleCpu(cluster.hosts);
    const starts = await watchStarts(engines, label);
    const cpu = cpuMeter(cluster.hosts);
    const t0 = now();
    const cli = shoalOk(h1, 'service', 'create', '--detach', '--name', SERVICE, '--replicas', String(replicas), IMAGE, ...CMD).then(() => now());
    const t = await starts.waitFor(replicas, t0, CONVERGE_TIMEOUT_MS).finally(() => starts.close());
    if (process.env.CONVERGE_LOG_LEVEL) console.error(`shoal create at ${t0}; timeline ${JSON.stringify(starts.timeline(t0))}`);
    const out = { converge_s: (t - t0) / 1000, first_create_s: (starts.firstCreate(t0) - t0) / 1000, cli_exit_s: ((await cli) - t0) / 1000, ...cpu(), ...idle };
    if (cut) Object.assign(out, await cutAndWait(cluster, label));
    return out;
  } finally {
    if (PROFILE_DIR) await sleep(2_000); // the profiles are being written
    await Promise.all(cluster.hosts.map((h) => h.killShoald('SIGKILL').catch(() => {})));
    await removeAllWith(engines, 'io.shoal.task.id');
    for (const h of cluster.hosts) rmSync(h.layout.shoald.dataDir, { recursive: true, force: true });
  }
}

/**
 * CONVERGE_CPU_PROF=dir: every shoald writes a V8 CPU profile of the converge window there
 * (bench/cpuprofile-top.mjs sums them); cpuMeter signals the window's start and end.
 */
const PROFILE_DIR = process.env.CONVERGE_CPU_PROF;

async function withProfiling(start) {
  if (!PROFILE_DIR) return start();
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `--import ${new URL('./lib/cpu-prof-preload.mjs', import.meta.url).href}`;
  process.env.CPU_PROF_DIR = PROFILE_DIR;
  try {
    return await start();
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
    delete process.env.CPU_PROF_DIR;
  }
}

/** CPU seconds the engines (dockerd + containerd) and shoald use from now until the returned function is called. */
function cpuMeter(hosts) {
  const engine = hosts.flatMap(enginePids);
  const shoald = hosts.map((h) => h.shoaldPid()).filter((p) => p !== undefined);
  const mark = () => PROFILE_DIR && !process.env.CONVERGE_PROF_IDLE && shoald.forEach((pid) => process.kill(pid, 'SIGUSR2'));
  mark();
  const [e0, s0] = [cpuSeconds(engine), cpuSeconds(shoald)];
  return () => (mark(), { engine_cpu_s: cpuSeconds(engine) - e0, shoald_cpu_s: cpuSeconds(shoald) - s0 });
}

const IDLE_WINDOW_MS = 5_000;

/** CPU seconds per second the idle shoald daemons use together (heartbeats, scans). */
async function idleCpu(hosts) {
  const shoald = hosts.map((h) => h.shoaldPid()).filter((p) => p !== undefined);
  const mark = () => PROFILE_DIR && process.env.CONVERGE_PROF_IDLE && shoald.forEach((pid) => process.kill(pid, 'SIGUSR2'));
  mark();
  const before = cpuSeconds(shoald);
  await sleep(IDLE_WINDOW_MS);
  mark();
  return { shoald_idle_cpu_ratio: (cpuSeconds(shoald) - before) / (IDLE_WINDOW_MS / 1000) };
}

const WAYS = { floor: (c, n) => floor(c.hosts, n), swarm, shoal };

/** Runs the scenario `runs` times each way; returns one flat object of medians, spreads and ratios. */
export async function convergeNetns({ runs = 3, replicas = 30, only = Object.keys(WAYS), cut = true } = {}) {
  const cluster = await createCluster({ hosts: 3, name: 'bench-converge' });
  const samples = {};
  try {
    for (let r = 0; r < runs; r++) {
      // the order turns each run, so that no way always runs first on fresh engines
      for (const way of [...only.slice(r % only.length), ...only.slice(0, r % only.length)]) {
        const res = await WAYS[way](cluster, replicas, cut);
        console.error(`run ${r + 1} ${way}: ${JSON.stringify(res)}`);
        for (const [k, v] of Object.entries(res)) (samples[`${k.replace('_s', '')}_${way}`] ??= []).push(v);
      }
    }
  } finally {
    await destroyCluster(cluster);
  }
  return summarize(samples, runs, replicas);
}

function summarize(samples, runs, replicas) {
  const out = { converge_runs_count: runs, converge_replicas_count: replicas };
  const med = (k) => (samples[k] ? median(samples[k]) : undefined);
  for (const [k, xs] of Object.entries(samples)) {
    if (k.startsWith('lost')) continue;
    if (k.startsWith('shoald_cpu_') && !k.endsWith('_shoal')) continue; // no shoald in the other ways
    if (k.startsWith('shoald_idle_cpu_ratio')) {
      out.shoald_idle_cpu_ratio = round(median(xs)); // CPU cores the 3 idle daemons use together
      continue;
    }
    out[`${k}_median_s`] = round(median(xs));
    if (/^(converge|hostcut)_/.test(k)) out[`${k}_spread_s`] = round(spread(xs));
  }
  const [shoalC, swarmC, floorC] = [med('converge_shoal'), med('converge_swarm'), med('converge_floor')];
  if (shoalC && swarmC) out.converge_ratio_vs_swarm = round(shoalC / swarmC);
  if (shoalC && floorC) out.converge_ratio_vs_floor = round(shoalC / floorC);
  const [shoalCut, swarmCut] = [med('hostcut_shoal'), med('hostcut_swarm')];
  if (shoalCut && swarmCut) out.hostcut_ratio_vs_swarm = round(shoalCut / swarmCut);
  if (shoalCut) out.failover_worker_netns_p50_ms = Math.round(shoalCut * 1000);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = process.env;
  const res = await convergeNetns({
    runs: Number(env.CONVERGE_RUNS ?? 3),
    replicas: Number(env.CONVERGE_REPLICAS ?? 30),
    only: env.CONVERGE_ONLY ? env.CONVERGE_ONLY.split(',') : undefined,
    cut: env.CONVERGE_CUT !== '0',
  });
  console.log(JSON.stringify(res, null, 2));
}
