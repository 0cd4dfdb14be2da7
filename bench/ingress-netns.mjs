#!/usr/bin/env -S npx tsx
// npm run bench:ingress — on one netns host with its own Docker Engine (e2e/harness/netns),
// HTTP requests/s to one replica of shoal/hello through shoal's ingress (a published port:
// iptables DNAT on the node) against straight to the container's address, from the same host,
// alternating, repeated. Measures, never asserts. Needs root, `npm run build`,
// scripts/setup-host.sh; run it under `flock /tmp/shoal-e2e.lock npm run bench:ingress`.
// Env: INGRESS_RUNS (3), INGRESS_SECONDS (5), INGRESS_CONCURRENCY (16).
import { fileURLToPath } from 'node:url';
import { createCluster, destroyCluster } from '../e2e/harness/netns/index.ts';
import { engineOf, median, round, spread } from './lib/netns-engines.mjs';

const PUBLISHED = 8080;
const CLIENT = fileURLToPath(new URL('./lib/http-load.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function shoalOk(h, ...args) {
  const r = await h.shoal(...args);
  if (r.code !== 0) throw new Error(`${h.name}: shoal ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** The address of the service's container on the engine's bridge, once it answers through the published port. */
async function backend(h) {
  for (let i = 0; i < 150; i++) {
    const list = await engineOf(h).listContainers({ filters: { label: ['io.shoal.service.name=web'], status: ['running'] } });
    const ip = Object.values(list[0]?.NetworkSettings?.Networks ?? {})[0]?.IPAddress;
    if (ip && (await h.exec('curl', ['-sf', '--max-time', '2', `http://${h.addr}:${PUBLISHED}/`])).code === 0) return ip;
    await sleep(200);
  }
  throw new Error('the service did not answer through its published port');
}

/** Requests per second of the load client, run in the host's namespace. */
async function load(h, url, seconds, concurrency) {
  const r = await h.exec('node', [CLIENT, url, String(concurrency), String(seconds * 1000)], { timeoutMs: (seconds + 30) * 1000 });
  if (r.code !== 0) throw new Error(`load client failed: ${r.stderr.trim()}`);
  const { requests, errors, seconds: s } = JSON.parse(r.stdout);
  if (errors > requests / 100) console.error(`${url}: ${errors} errors`);
  return requests / s;
}

export async function ingressNetns({ runs = 3, seconds = 5, concurrency = 16 } = {}) {
  const cluster = await createCluster({ hosts: 1, name: 'bench-ingress' });
  const h = cluster.host(1);
  const published = [];
  const direct = [];
  try {
    await h.startShoald(['--log-level', 'info']);
    await shoalOk(h, 'swarm', 'init', '--advertise-addr', h.addr);
    await shoalOk(h, 'service', 'create', '-d', '--name', 'web', '-p', `${PUBLISHED}:80`, 'shoal/hello:latest');
    const ip = await backend(h);
    for (let r = 0; r < runs; r++) {
      published.push(await load(h, `http://${h.addr}:${PUBLISHED}/`, seconds, concurrency));
      direct.push(await load(h, `http://${ip}:80/`, seconds, concurrency));
      console.error(`run ${r + 1}: published ${Math.round(published.at(-1))}/s, direct ${Math.round(direct.at(-1))}/s`);
    }
  } finally {
    await destroyCluster(cluster);
  }
  return {
    ingress_runs_count: runs,
    ingress_concurrency_count: concurrency,
    ingress_published_median_req_per_s: Math.round(median(published)),
    ingress_published_spread_req_per_s: Math.round(spread(published)),
    ingress_direct_median_req_per_s: Math.round(median(direct)),
    ingress_direct_spread_req_per_s: Math.round(spread(direct)),
    ingress_ratio_vs_direct: round(median(published) / median(direct)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = process.env;
  const res = await ingressNetns({ runs: Number(env.INGRESS_RUNS ?? 3), seconds: Number(env.INGRESS_SECONDS ?? 5), concurrency: Number(env.INGRESS_CONCURRENCY ?? 16) });
  console.log(JSON.stringify(res, null, 2));
}
