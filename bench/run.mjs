#!/usr/bin/env node
// npm run bench: measures, never asserts. Needs `npm run build` first (it runs the built code).
//   store-writes: single-object writes/s through the store, the Raft proposer and host of a
//                 one-manager swarm, and its LevelDB log (fsync on),
//                 with 1 and with 256 concurrent writers
//   converge:     time from `createService` to N tasks running, manager + agent over loopback
//                 gRPC with the fake runtime (the orchestrator/scheduler/dispatcher path)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeWrites } from './store-writes.mjs';
import { converge } from './converge.mjs';

const results = [];
const dir = mkdtempSync(join(tmpdir(), 'shoal-bench-'));
try {
  for (const writers of [1, 256]) results.push(await storeWrites(join(dir, `w${writers}`), writers, 3_000));
  for (const replicas of [10, 100]) results.push(await converge(join(dir, `c${replicas}`), replicas));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
for (const r of results) console.log(JSON.stringify(r));
