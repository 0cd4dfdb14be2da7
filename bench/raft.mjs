#!/usr/bin/env node
// npm run bench:raft — measures, never asserts. Needs `npm run build` first.
// Three managers, each its own process, replicate with Raft over loopback gRPC, LevelDB with fsync
// on. Clients call the leader's control API (CreateService with 0 replicas: one new object per
// write) for a few seconds: writes/s and latency percentiles with 1 and with 256 concurrent clients.
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
  const children = PORTS.map((_, i) => fork(new URL('./raft-member.mjs', import.meta.url).pathname, [join(dir, `m${i + 1}`), String(i), PORTS.join(',')], { stdio: 'inherit' }));
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

const dir = mkdtempSync(join(tmpdir(), 'shoal-bench-raft-'));
let children = [];
try {
  const started = await startMembers(dir);
  children = started.children;
  const client = new (loadProtos().Control)(`127.0.0.1:${PORTS[started.leader]}`, grpc.credentials.createInsecure());
  for (const clients of [1, 256]) console.log(JSON.stringify(await run(client, clients, `c${clients}`)));
  client.close();
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
