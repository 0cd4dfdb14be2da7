#!/usr/bin/env node
/**
 * Runs the deterministic simulation over many seeds:
 *   npm run sim:many -- --count 10000 [--start S] [--jobs 2]
 * Seeds S..S+count-1 (even seeds on 3 nodes, odd on 5), split over `jobs` worker processes that
 * run test/sim/worker.ts through tsx. Prints progress, each failure with its seed, and the wall
 * time; exits 1 on any failure.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const count = arg('count', 1000);
const start = arg('start', 1);
const jobs = Math.max(1, Math.min(arg('jobs', Math.min(2, availableParallelism())), count));
const root = fileURLToPath(new URL('..', import.meta.url));
const worker = fileURLToPath(new URL('../test/sim/worker.ts', import.meta.url));
const end = start + count;

const t0 = performance.now();
let done = 0;
const failures = [];
const every = Math.max(1, Math.floor(count / 20));

function runWorker(j) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, String(start + j), String(end), String(jobs)], {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.tests.json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let r;
      try {
        r = JSON.parse(line);
      } catch {
        console.log(line);
        return;
      }
      done++;
      if (!r.ok) {
        failures.push(r);
        console.log(`FAIL seed ${r.seed} (${r.nodes} nodes): npm run sim -- --seed ${r.seed} --nodes ${r.nodes} --verbose\n${r.error}\n`);
      }
      if (done % every === 0 || done === count) {
        const s = ((performance.now() - t0) / 1000).toFixed(1);
        console.log(`${done}/${count} seeds, ${failures.length} failed, ${s} s`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${j} exited with ${code}`))));
  });
}

try {
  await Promise.all(Array.from({ length: jobs }, (_, j) => runWorker(j)));
} catch (e) {
  console.error(String(e));
  process.exitCode = 1;
}
const wall = (performance.now() - t0) / 1000;
console.log(`seeds ${start}..${end - 1}: ${done} run, ${failures.length} failed, ${jobs} jobs, wall time ${wall.toFixed(1)} s`);
if (failures.length > 0) {
  console.log(`failing seeds: ${failures.map((f) => f.seed).join(' ')}`);
  process.exitCode = 1;
}
if (done !== count) process.exitCode = 1;
