#!/usr/bin/env node
// npm run bench: every benchmark, one table. Measures, never asserts. Needs `npm run build` first,
// and root with Docker Engine for the netns benchmarks (scripts/setup-host.sh).
//   BENCH_ONLY=raft,schedule   run only these
//   BENCH_REPEAT=N             repeat each benchmark N times (default: each one's own count)
//   BENCH_BUDGET_S=1700        no new repeat starts after this many seconds (30 min here)
// Writes bench/results/latest.json (one flat object: the median of every figure, names ending in
// their unit; with BENCH_ONLY, the other benchmarks' figures stay from the previous run) and
// bench/results/latest-runs.json (machine, parameters, every run, the spread).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARKS } from './report/benchmarks.mjs';
import { describeMachine } from './report/machine.mjs';
import { describe, summarize } from './report/summary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const budgetS = Number(process.env.BENCH_BUDGET_S ?? 1_700);
const started = performance.now();
const elapsedS = () => (performance.now() - started) / 1000;

const machine = describeMachine();
console.log(`machine: ${machine.cores} cores (${machine.cpu}), ${machine.memory_gb} GB, kernel ${machine.kernel}, node ${machine.node}, docker ${machine.docker}, kvm ${machine.kvm}`);

// A benchmark's stray rejection (a probe of a cluster that lost its leader) is reported, and the
// suite goes on to the next benchmark instead of ending with a stack trace.
process.on('unhandledRejection', (error) => console.log(`   unhandled rejection in a benchmark: ${error?.message ?? error}`));

const report = { machine, startedAt: new Date().toISOString(), benchmarks: {} };
for (const bench of BENCHMARKS) {
  if (only && !only.has(bench.name)) continue;
  const repeat = Number(process.env.BENCH_REPEAT ?? bench.repeat);
  console.log(`\n== ${bench.name}: ${bench.what}\n   parameters: ${JSON.stringify(bench.params)}; ${repeat} run(s)`);
  const runs = [];
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) {
    if (i > 0 && elapsedS() > budgetS) {
      console.log(`   time budget of ${budgetS} s reached: ${i} of ${repeat} runs`);
      break;
    }
    try {
      const run = await bench.run(bench.params);
      console.log(`   run ${i + 1}: ${JSON.stringify(run)}`);
      runs.push(run);
    } catch (error) {
      console.log(`   run ${i + 1} failed: ${error?.message ?? error}`);
    }
  }
  const figures = summarize(runs);
  report.benchmarks[bench.name] = { params: bench.params, seconds: Math.round((performance.now() - t0) / 1000), runs, figures };
  for (const [name, figure] of Object.entries(figures)) console.log(`   ${name.padEnd(36)} ${describe(figure)}`);
  console.log(`   (${report.benchmarks[bench.name].seconds} s)`);
}

const results = join(here, 'results');
// With BENCH_ONLY, the figures of the benchmarks that did not run stay from the previous run.
const previous = only && existsSync(join(results, 'latest.json')) ? JSON.parse(readFileSync(join(results, 'latest.json'), 'utf8')) : {};
const latest = { ...previous, machine_cores: machine.cores, machine_memory_gb: machine.memory_gb };
for (const { figures } of Object.values(report.benchmarks)) {
  for (const [name, figure] of Object.entries(figures)) latest[name] = figure.median;
}
mkdirSync(results, { recursive: true });
writeFileSync(join(results, 'latest.json'), JSON.stringify(latest, null, 2) + '\n');
writeFileSync(join(results, 'latest-runs.json'), JSON.stringify(report, null, 2) + '\n');
console.log(`\nall benchmarks: ${Math.round(elapsedS())} s; wrote bench/results/latest.json`);
console.log(JSON.stringify(latest));
