#!/usr/bin/env -S npx tsx
// npm run bench:ingress — the routing mesh (issue 11) on 3 netns hosts with their own Docker
// Engines (e2e/harness/netns): h1 manager, h2 and h3 workers; one replica of shoal/hello on h2,
// published on 8080. From outside the hosts (this machine's namespace, on the test bridge),
// HTTP requests/s and p50/p99 latency, alternating, repeated:
//   local   — through the mesh on the worker that runs the task
//   remote  — through the mesh on h1 (no task: forwarded over the ingress network)
//   direct  — a container of the same image on the task's worker, published with `docker run -p`
// Then a second replica (on the other worker): seconds from its container's start to its first
// answer through h1.
// Then the time to apply one change with 1,000 and 10,000 published services per backend
// (bench/ingress-apply.mjs, when present). Measures, never asserts. Needs root, `npm run build`,
// scripts/setup-host.sh; run it under `flock /tmp/shoal-e2e.lock npm run bench:ingress`.
// Env: INGRESS_RUNS (5), INGRESS_SECONDS (5), INGRESS_CONCURRENCY (8: at 16, busybox httpd's
// listen backlog overflows and every way's p99 is a 1 s SYN retransmit), INGRESS_BACKEND (auto),
// INGRESS_APPLY (1: also the apply-cost part; 0: skip it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from '../e2e/harness/exec.ts';
import { createCluster, destroyCluster } from '../e2e/harness/netns/index.ts';
import { median, round, spread } from './lib/netns-engines.mjs';

const PUBLISHED = 8080;
const DIRECT = 18080;
const CLIENT = fileURLToPath(new URL('./lib/http-load.mjs', import.meta.url));
const APPLY = fileURLToPath(new URL('./ingress-apply.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function shoalOk(h, ...args) {
  const r = await h.shoal(...args);
  if (r.code !== 0) throw new Error(`${h.name}: shoal ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

async function answers(url) {
  for (let i = 0; i < 300; i++) {
    if ((await run('curl', ['-sf', '--max-time', '2', url])).code === 0) return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer`);
}

/** One run of the load client from this machine's namespace: requests/s and latency percentiles. */
async function load(url, seconds, concurrency) {
  const r = await run('node', [CLIENT, url, String(concurrency), String(seconds * 1000)], { timeoutMs: (seconds + 30) * 1000 });
  if (r.code !== 0) throw new Error(`load client failed: ${r.stderr.trim()}`);
  const { requests, errors, seconds: s, p50_ms, p99_ms } = JSON.parse(r.stdout);
  if (errors > requests / 100) console.error(`${url}: ${errors} errors`);
  return { rps: requests / s, p50: p50_ms, p99: p99_ms };
}

function summary(prefix, samples) {
  return {
    [`${prefix}_median_req_per_s`]: Math.round(median(samples.map((s) => s.rps))),
    [`${prefix}_spread_req_per_s`]: Math.round(spread(samples.map((s) => s.rps))),
    [`${prefix}_p50_ms`]: round(median(samples.map((s) => s.p50))),
    [`${prefix}_p99_ms`]: round(median(samples.map((s) => s.p99))),
  };
}

/** [the worker that runs web's one task, the other worker], once the task runs. */
async function taskNode(workers) {
  for (let i = 0; i < 600; i++) {
    for (const w of workers) {
      if ((await w.docker('ps', '-q', '--filter', 'label=io.shoal.service.name=web')).trim()) return [w, ...workers.filter((x) => x !== w)];
    }
    await sleep(100);
  }
  throw new Error('web never ran');
}

/**
 * A second replica, which the scheduler spreads to the other worker: seconds from its container's start (Docker's StartedAt) to its first
 * answer through h1, seen by three request loops that run from before the scale.
 */
async function newTaskJoins(h1, other, url) {
  const before = new Set((await other.docker('ps', '-q', '--filter', 'label=io.shoal.service.name=web')).split('\n').filter(Boolean));
  const firstSeen = new Map();
  let probing = true;
  const probe = async () => {
    while (probing) {
      const r = await run('curl', ['-s', '--max-time', '2', `${url}cgi-bin/hostname`]);
      const id = r.stdout.trim();
      if (r.code === 0 && id && !firstSeen.has(id)) firstSeen.set(id, Date.now());
    }
  };
  const probes = Promise.all([probe(), probe(), probe()]);
  try {
    await shoalOk(h1, 'service', 'scale', '-d', 'web=2');
    for (let i = 0; i < 600; i++) {
      const fresh = (await other.docker('ps', '-q', '--filter', 'label=io.shoal.service.name=web')).split('\n').filter((id) => id && !before.has(id));
      if (fresh.length === 1 && firstSeen.has(fresh[0])) {
        const started = Date.parse((await other.docker('inspect', '-f', '{{.State.StartedAt}}', fresh[0])).trim());
        return (firstSeen.get(fresh[0]) - started) / 1000;
      }
      await sleep(50);
    }
    throw new Error('the new task never answered through h1');
  } finally {
    probing = false;
    await probes;
  }
}

async function throughput({ runs, seconds, concurrency, backend }) {
  const cluster = await createCluster({ hosts: 3, name: 'bench-ingress' });
  const [h1, h2, h3] = [cluster.host(1), cluster.host(2), cluster.host(3)];
  const samples = { local: [], remote: [], direct: [] };
  let report = '';
  let joinS = NaN;
  let direct;
  try {
    await Promise.all([h1, h2, h3].map((h) => h.startShoald(['--log-level', 'info', '--ingress-backend', backend])));
    await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
    const token = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'worker')).trim();
    for (const h of [h2, h3]) await shoalOk(h, 'swarm', 'join', '--token', token, `${h1.addr}:4242`);
    await shoalOk(h1, 'service', 'create', '-d', '--name', 'web', '--constraint', 'node.role==worker', '-p', `${PUBLISHED}:80`, 'shoal/hello:latest');
    const [local, other] = await taskNode([h2, h3]);
    direct = local;
    await local.docker('run', '-d', '--name', 'bench-direct', '-p', `${DIRECT}:80`, 'shoal/hello:latest');
    const urls = { local: `http://${local.addr}:${PUBLISHED}/`, remote: `http://${h1.addr}:${PUBLISHED}/`, direct: `http://${local.addr}:${DIRECT}/` };
    for (const u of Object.values(urls)) await answers(u);
    report = (await shoalOk(h1, 'node', 'inspect', '--pretty', 'h1')).split('\n').filter((l) => /ingress|backend|client address/i.test(l)).join('; ');
    for (let r = 0; r < runs; r++) {
      for (const k of ['local', 'remote', 'direct']) samples[k].push(await load(urls[k], seconds, concurrency));
      console.error(`run ${r + 1}: ${['local', 'remote', 'direct'].map((k) => `${k} ${Math.round(samples[k].at(-1).rps)}/s`).join(', ')}`);
    }
    joinS = await newTaskJoins(h1, other, urls.remote);
  } finally {
    await direct?.docker('rm', '-f', 'bench-direct').catch(() => {});
    await destroyCluster(cluster);
  }
  // Runs alternate the three ways, so each run's ratio compares like with like on a machine whose
  // load drifts; the median of those ratios is the figure.
  const ratio = (k) => median(samples[k].map((s, i) => s.rps / samples.direct[i].rps));
  return {
    ingress_runs_count: runs,
    ingress_concurrency_count: concurrency,
    ingress_backend_text: report,
    ...summary('ingress_local', samples.local),
    ...summary('ingress_remote', samples.remote),
    ...summary('ingress_direct', samples.direct),
    ingress_new_task_first_answer_s: round(joinS),
    ingress_local_ratio_vs_direct: round(ratio('local')),
    ingress_remote_ratio_vs_direct: round(ratio('remote')),
  };
}

export async function ingressNetns({ runs = 5, seconds = 5, concurrency = 8, backend = 'auto', apply = true } = {}) {
  const res = await throughput({ runs, seconds, concurrency, backend });
  if (apply && existsSync(APPLY)) {
    const { rows, skipped } = await (await import('./ingress-apply.mjs')).measureIngressApply();
    for (const r of rows) {
      res[`ingress_apply_${r.backend}_${r.services}_change_ms`] = r.changeMs;
      res[`ingress_apply_${r.backend}_${r.services}_first_ms`] = r.firstMs;
      res[`ingress_apply_${r.backend}_${r.services}_reconcile_ms`] = r.reconcileMs;
    }
    for (const s of skipped) res[`ingress_apply_${s.backend}_skipped_text`] = s.reason;
  }
  return res;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = process.env;
  const res = await ingressNetns({
    runs: Number(env.INGRESS_RUNS ?? 5),
    seconds: Number(env.INGRESS_SECONDS ?? 5),
    concurrency: Number(env.INGRESS_CONCURRENCY ?? 8),
    backend: env.INGRESS_BACKEND ?? 'auto',
    apply: env.INGRESS_APPLY !== '0',
  });
  console.log(JSON.stringify(res, null, 2));
}
