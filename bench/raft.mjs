#!/usr/bin/env node
// npm run bench:raft — measures, never asserts. Needs `npm run build` first.
// Three managers, each its own process, replicate with Raft over loopback gRPC, LevelDB with fsync
// on. Clients call the leader's control API (CreateService with 0 replicas: one new object per
// write) for a few seconds: writes/s and latency percentiles with 1 and with 256 concurrent clients.
// Then the same with writers inside the leader process updating their own service's labels in
// the store (raft-store-writes): replication without the client hop and the control API's work.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../packages/common/dist/rpc/index.js';
import { benchServiceSpec } from './service-spec.mjs';
import { percentile } from './percentile.mjs';

const DURATION_MS = Number(process.env.BENCH_MS ?? 5_000);
const PORTS = [24101, 24102, 24103];

async function startMembers(dir) {
  const children = PORTS.map((_, i) => fork(new URL('./raft-member.mjs', import.meta.url).pathname, [join(dir, `m${i + 1}`), String(i), PORTS.join(',')], { stdio: 'inherit', execArgv: process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : [] }));
  const leader = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no leader within 20 s')), 20_000);
    children.forEach((c) => c.on('message', (m) => {
      if (m?.leader !== undefined) {
        clearTimeout(timer);
        resolve(m.leader);
      }
    }));
  });
  return { children, leader };
}

async function run(client, clients, label) {
  const latencies = [];
  let failed = 0;
  const end = Date.now() + DURATION_MS;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; Date.now() < end; i++) {
      const t0 = performance.now();
      const ok = await new Promise((resolve) => client.CreateService({ specJson: JSON.stringify(benchServiceSpec(`${label}-${c}-${i}`, 0)) }, { deadline: Date.now() + 10_000 }, (err) => resolve(!err)));
      if (ok) latencies.push(performance.now() - t0);
      else failed++;
    }
  }));
  return { bench: 'raft-writes', managers: 3, clients, writesPerSec: Math.round(latencies.length / (DURATION_MS / 1000)), p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99), failed };
}

/** Writers inside the leader process, straight on the store (see raft-member.mjs). */
async function storeWrites(leader, writers) {
  const latencies = await new Promise((resolve) => {
    const onMessage = (m) => {
      if (m?.storeResult === undefined) return;
      leader.off('message', onMessage);
      resolve(m.storeResult);
    };
    leader.on('message', onMessage);
    leader.send({ storeWriters: writers, ms: DURATION_MS });
  });
  return { bench: 'raft-store-writes', managers: 3, writers, writesPerSec: Math.round(latencies.length / (DURATION_MS / 1000)), p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99) };
}

const dir = mkdtempSync(join(tmpdir(), 'shoal-bench-raft-'));
let children = [];
try {
  const started = await startMembers(dir);
  children = started.children;
  const client = new (loadProtos().Control)(`127.0.0.1:${PORTS[started.leader]}`, grpc.credentials.createInsecure());
  for (const clients of [1, 256]) console.log(JSON.stringify(await run(client, clients, `c${clients}`)));
  client.close();
  for (const writers of [1, 256]) console.log(JSON.stringify(await storeWrites(children[started.leader], writers)));
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
