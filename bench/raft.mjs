#!/usr/bin/env node
// npm run bench:raft — measures, never asserts. Needs `npm run build` first.
// Three managers, each its own process wired as shoald wires it (bench/raft-member.mjs): Raft
// over loopback gRPC with mutual TLS, LevelDB with fsync, the access policy on the node-to-node
// port. Clients call the leader's Control service there (CreateService with 0 replicas: one new
// object per write) with a manager's certificate, as a follower forwarding `shoal service create`
// does: writes/s and latency percentiles with 1 and with 256 concurrent clients. Then the same with
// writers inside the leader process updating their own service's labels in the store
// (raft-store-writes): replication without the client hop and the control API's work.
// managersCpuMsPerWrite: CPU time of the three managers together per write (from /proc), a figure
// that a busy machine disturbs far less than writes/s (the profiled phase includes the profiler's
// cost); clientsCpuMsPerWrite: the same for this process, which plays the clients (gRPC, TLS, JSON).
// Env: BENCH_MS (per phase, default 5000), BENCH_CLIENTS=1,256, BENCH_WRITERS=1,256 (empty: none),
// BENCH_READS=1 (then 1 client calling GetCluster: the client hop and a ReadIndex quorum round
// without a write, to compare with a write's latency), BENCH_MEMBER_NODE_ARGS (Node.js flags for
// the three managers, e.g. --max-semi-space-size=32),
// BENCH_PROF=1 (the leader's and a follower's CPU profiles during the last client phase: top self
// times printed) or =DIR (the profiles are also kept in DIR).
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_CHANNEL_OPTIONS, loadProtos } from '../packages/common/dist/rpc/index.js';
import { ca } from '../packages/manager/dist/index.js';
import { nodeClientCredentials } from '../packages/daemon/dist/tls/credentials.js';
import { benchServiceSpec } from './service-spec.mjs';
import { percentile } from './percentile.mjs';
import { topSelfTime } from './cpuprofile-top.mjs';

const PORTS = [24101, 24102, 24103];
const CLUSTER_ID = 'benchraft';

async function issueCerts(dir) {
  const root = await ca.createRootCA({ clusterId: CLUSTER_ID, now: Date.now() });
  const certs = {};
  for (let i = 1; i <= PORTS.length; i++) {
    const nodeId = `m${i}`;
    const { keyPem, csrPem } = await ca.createNodeKeyAndCSR({ nodeId });
    const certPem = await ca.issueNodeCertificate({ csrPem, nodeId, role: 'manager', clusterId: CLUSTER_ID, root, now: Date.now() });
    certs[nodeId] = { keyPem, certPem, rootCertPem: root.certPem };
  }
  const path = join(dir, 'certs.json');
  writeFileSync(path, JSON.stringify({ clusterId: CLUSTER_ID, certs }), { mode: 0o600 });
  return { path, certs };
}

async function startMembers(dir, certsPath, children) {
  const member = new URL('./raft-member.mjs', import.meta.url).pathname;
  for (let i = 0; i < PORTS.length; i++) {
    const execArgv = process.env.BENCH_MEMBER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    children.push(fork(member, [join(dir, `m${i + 1}`), String(i), PORTS.join(','), certsPath], { stdio: 'inherit', execArgv }));
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no leader within 20 s')), 20_000);
    children.forEach((c) => c.on('message', (m) => {
      if (m?.leader === undefined) return;
      clearTimeout(timer);
      resolve(m.leader);
    }));
  });
}

/** CPU seconds (user + system) the processes used so far, from /proc (Linux): robust to a busy machine. */
function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

/** One call: a CreateService (a write), or with `read` a GetCluster (a ReadIndex round, no write). */
const call = (client, name, read) => new Promise((resolve) => {
  const options = { deadline: Date.now() + 10_000 };
  if (read) client.GetCluster({}, options, resolve);
  else client.CreateService({ specJson: JSON.stringify(benchServiceSpec(name, 0)) }, options, resolve);
});

async function run(client, clients, label, ms, read = false) {
  const latencies = [];
  let failed = 0;
  let firstError;
  const end = Date.now() + ms;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; Date.now() < end; i++) {
      const t0 = performance.now();
      const err = await call(client, `${label}-${c}-${i}`, read);
      if (!err) latencies.push(performance.now() - t0);
      else {
        failed++;
        firstError ??= err.message;
      }
    }
  }));
  return { bench: read ? 'raft-reads' : 'raft-writes', managers: 3, clients, writesPerSec: Math.round(latencies.length / (ms / 1000)), p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99), failed, ...(firstError ? { firstError } : {}) };
}

/** Asks a member to start its CPU profiler, or to stop it and write the profile to `{ stop: path }`. */
function profileMember(child, what) {
  return new Promise((resolve) => {
    const onMessage = (m) => {
      if (m?.profiled === undefined) return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send({ profile: what });
  });
}

/** Writers inside the leader process, straight on the store (see raft-member.mjs). */
async function storeWrites(leader, writers, ms) {
  const latencies = await new Promise((resolve) => {
    const onMessage = (m) => {
      if (m?.storeResult === undefined) return;
      leader.off('message', onMessage);
      resolve(m.storeResult);
    };
    leader.on('message', onMessage);
    leader.send({ storeWriters: writers, ms });
  });
  return { bench: 'raft-store-writes', managers: 3, writers, writesPerSec: Math.round(latencies.length / (ms / 1000)), p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99) };
}

async function stop(children) {
  await Promise.all(children.map((c) => new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    const force = setTimeout(() => c.kill('SIGKILL'), 5_000);
    c.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    c.kill('SIGTERM');
  })));
}

/**
 * Runs the benchmark; resolves with { raft_writes_per_s_1_client, raft_writes_per_s_256_clients,
 * raft_p99_ms_256_clients, ... }. Options: ms (per phase), clients (list), storeWriters (list),
 * profile (true, or a directory to keep the profile in: the leader's top self times during the
 * last client phase in `hotSpots`, per function, and `hotFiles`, per script),
 * log (each phase's line).
 */
export async function raftBench(options = {}) {
  const ms = options.ms ?? 5_000;
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'shoal-bench-raft-'));
  const profDir = options.profile ? (typeof options.profile === 'string' ? options.profile : join(dir, 'prof')) : undefined;
  const children = [];
  const out = {};
  try {
    const { path, certs } = await issueCerts(dir);
    const leader = await startMembers(dir, path, children);
    // The client speaks as another manager (a follower forwarding a CLI call), over mutual TLS.
    const caller = `m${((leader + 1) % PORTS.length) + 1}`;
    const client = new (loadProtos().Control)(`127.0.0.1:${PORTS[leader]}`, nodeClientCredentials(certs[caller]), CLUSTER_CHANNEL_OPTIONS);
    const pids = children.map((c) => c.pid);
    const phases = options.clients ?? [1, 256];
    for (const clients of phases) {
      // The leader's profile covers the last client phase (the busiest), not the start-up.
      const profiled = profDir !== undefined && clients === phases.at(-1);
      // A follower too: the managers' CPU per write is the three together.
      const follower = (leader + 1) % PORTS.length;
      if (profiled) await Promise.all([profileMember(children[leader], 'start'), profileMember(children[follower], 'start')]);
      const cpu0 = cpuSeconds(pids);
      const own0 = process.cpuUsage();
      const r = await run(client, clients, `c${clients}`, ms);
      const writes = Math.max(1, r.writesPerSec * (ms / 1000));
      r.managersCpuMsPerWrite = Math.round((100_000 * (cpuSeconds(pids) - cpu0)) / writes) / 100;
      const own = process.cpuUsage(own0);
      r.clientsCpuMsPerWrite = Math.round((own.user + own.system) / 10 / writes) / 100;
      if (profiled) {
        mkdirSync(profDir, { recursive: true });
        const file = join(profDir, `leader-${clients}-clients.cpuprofile`);
        const followerFile = join(profDir, `follower-${clients}-clients.cpuprofile`);
        await Promise.all([profileMember(children[leader], { stop: file }), profileMember(children[follower], { stop: followerFile })]);
        out.hotSpots = topSelfTime(file, options.top ?? 15);
        out.hotFiles = topSelfTime(file, options.top ?? 15, 'file');
        out.followerHotSpots = topSelfTime(followerFile, options.top ?? 15);
      }
      log(r);
      const s = clients === 1 ? 'client' : 'clients';
      out[`raft_writes_per_s_${clients}_${s}`] = r.writesPerSec;
      out[`raft_p50_ms_${clients}_${s}`] = r.p50ms;
      out[`raft_p99_ms_${clients}_${s}`] = r.p99ms;
      out[`raft_failed_${clients}_${s}`] = r.failed;
      out[`raft_cpu_ms_per_write_${clients}_${s}`] = r.managersCpuMsPerWrite;
      out[`raft_client_cpu_ms_per_write_${clients}_${s}`] = r.clientsCpuMsPerWrite;
    }
    if (options.reads) {
      // What a write waits for beyond the disk: the same client hop and a quorum round, no fsync.
      const r = await run(client, 1, 'read', ms, true);
      log(r);
      out.raft_read_p50_ms_1_client = r.p50ms;
      out.raft_read_p99_ms_1_client = r.p99ms;
    }
    client.close();
    for (const writers of options.storeWriters ?? [1, 256]) {
      const r = await storeWrites(children[leader], writers, ms);
      log(r);
      out[`raft_store_writes_per_s_${writers}_writers`] = r.writesPerSec;
      out[`raft_store_p99_ms_${writers}_writers`] = r.p99ms;
    }
    await stop(children);
    return out;
  } finally {
    await stop(children);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const list = (v) => (v ? v.split(',').map(Number) : []);
  const r = await raftBench({
    ms: Number(process.env.BENCH_MS ?? 5_000),
    profile: process.env.BENCH_PROF === '1' ? true : process.env.BENCH_PROF || false,
    ...(process.env.BENCH_CLIENTS ? { clients: list(process.env.BENCH_CLIENTS) } : {}),
    reads: process.env.BENCH_READS === '1',
    ...(process.env.BENCH_WRITERS !== undefined ? { storeWriters: list(process.env.BENCH_WRITERS) } : {}),
    log: (line) => console.log(JSON.stringify(line)),
  });
  const { hotSpots, hotFiles, followerHotSpots, ...figures } = r;
  const print = (title, rows) => {
    console.log(title);
    for (const h of rows) console.log(`${String(h.pct).padStart(5)}%  ${String(h.ms).padStart(6)} ms  ${h.fn}`);
  };
  if (hotSpots) print('leader hot spots during the last client phase (self time per function):', hotSpots);
  if (hotFiles) print('the same, per script:', hotFiles);
  if (followerHotSpots) print('a follower\'s hot spots in the same phase:', followerHotSpots);
  console.log(JSON.stringify(figures));
}
