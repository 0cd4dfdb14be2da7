#!/usr/bin/env node
// The CLI's cost per command: wall time and CPU (user + system) of `shoal <command>` as a script
// runs it, median of N runs, against a single-node shoald on a temp socket. Measures, never asserts.
//   CLI_BENCH_N=20          runs per command
//   CLI_BENCH_PORT=24601    the daemon's node-to-node listen port (loopback only)
//   CLI_BENCH_CLI=path      the CLI entry to measure (default packages/cli/dist/main.js)
// Needs `npm run build` and /usr/bin/time. Replicas are 0: no container is started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './percentile.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs one command under /usr/bin/time; returns { wall_s, cpu_s } or throws with its stderr. */
function timed(cli, args, env) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S', process.execPath, cli, ...args], { env, encoding: 'utf8' });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`shoal ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return { wall_s: Number(m[1]), cpu_s: Number(m[2]) + Number(m[3]) };
}

function medianOf(cli, args, env, n) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(timed(cli, typeof args === 'function' ? args(i) : args, env));
  return { wall_s: percentile(runs.map((r) => r.wall_s), 50), cpu_s: percentile(runs.map((r) => r.cpu_s), 50) };
}

async function waitForSocket(path, ms) {
  const until = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`shoald did not open ${path} in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function cliStartupBench({ n = 20, port = 24601, cli = join(root, 'packages/cli/dist/main.js') } = {}) {
  const dir = mkdtempSync('/tmp/shoal-bench-cli-');
  const socket = join(dir, 's.sock');
  const daemon = spawn(process.execPath, [join(root, 'packages/daemon/dist/main.js'), '--data-dir', join(dir, 'data'), '--socket', socket,
    '--listen-addr', `127.0.0.1:${port}`, '--advertise-addr', `127.0.0.1:${port}`, '--hostname', 'bench-cli', '--log-level', 'error'], { stdio: 'ignore' });
  const env = { ...process.env, SHOAL_HOST: `unix://${socket}` };
  try {
    await waitForSocket(socket, 20_000);
    timed(cli, ['swarm', 'init'], env);
    const out = {};
    const put = (name, r) => { out[`${name}_wall_s`] = r.wall_s; out[`${name}_cpu_s`] = r.cpu_s; };
    put('cli_version', medianOf(cli, ['--version'], env, n));
    put('cli_help', medianOf(cli, ['service', '--help'], env, n));
    put('cli_service_create', medianOf(cli, (i) => ['service', 'create', '--detach', '--replicas', '0', '--name', `bench-${i}`, 'busybox'], env, n));
    put('cli_service_ls', medianOf(cli, ['service', 'ls'], env, n));
    put('cli_node_ls', medianOf(cli, ['node', 'ls'], env, n));
    return out;
  } finally {
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const p = { n: Number(process.env.CLI_BENCH_N ?? 20), port: Number(process.env.CLI_BENCH_PORT ?? 24601) };
  if (process.env.CLI_BENCH_CLI) p.cli = process.env.CLI_BENCH_CLI;
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  console.log(`cli-startup: ${p.n} runs per command, median; ${nproc} cores, node ${process.version}`);
  const r = await cliStartupBench(p);
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(32)} ${v}`);
  console.log(JSON.stringify(r));
}
