#!/usr/bin/env -S npx tsx
// npm run bench:network — overlay networks (issue 10) on 3 netns hosts (h1 manager, h2, h3
// workers), each with its own Docker Engine (e2e/harness/netns):
//   1. HTTP requests/s and p50/p99 latency from a task on h2 to a back end on h3, through the
//      service's VIP against straight to the task's address (both from inside the calling
//      container's namespace, where the VIP rules live), alternating, repeated;
//   2. the time from a task's stop (its container killed) to its removal from every node's DNS
//      and VIP rules (network-removal.mjs), with the stack alone (a handful of services on the
//      network) and again with 1,000 more services (0 replicas each, a VIP each) on it.
// Measures, never asserts. Needs root, `npm run build`, scripts/setup-host.sh; run it under
// `flock /tmp/shoal-e2e.lock npm run bench:network`.
// Env: NETWORK_RUNS (3), NETWORK_SECONDS (5), NETWORK_CONCURRENCY (16), NETWORK_REMOVALS (5),
// NETWORK_SERVICES (1000; 0 skips the second removal figure), NETWORK_DEPLOY_CONCURRENCY (8 stacks
// deployed at once for those services).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run, sleep } from '../e2e/harness/exec.ts';
import { createCluster, destroyCluster } from '../e2e/harness/netns/index.ts';
import { median, round } from './lib/netns-engines.mjs';
import { percentile } from './percentile.mjs';
import { dockerOn, removalOnce, tasksOf } from './network-removal.mjs';

const CLIENT = fileURLToPath(new URL('./lib/http-load.mjs', import.meta.url));
const NETWORK = 'bn_net';
const WORK = '/tmp/shoal-e2e/bench-network';
const SUBNET = '10.30.0.0/20';
// the killed task is replaced only after this delay, so its address cannot come back while we watch
const STACK = `services:
  client:
    image: shoal/netapp:latest
    command: [idle]
    networks: [net]
    deploy:
      mode: global
  web:
    image: shoal/netapp:latest
    networks: [net]
    deploy:
      placement:
        constraints: [node.hostname == h3]
  victim:
    image: shoal/netapp:latest
    networks: [net]
    deploy:
      replicas: 2
      restart_policy:
        delay: 10s
      placement:
        constraints: [node.role == worker]
networks:
  net:
    driver: overlay
    ipam:
      config:
        - subnet: ${SUBNET}
`;

async function shoalOk(h, ...args) {
  const r = await h.shoal(...args);
  if (r.code !== 0) throw new Error(`${h.name}: shoal ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Deploys a stack from text and waits until `stack services` shows every replica running. */
async function deploy(h1, name, text, timeoutMs) {
  mkdirSync(WORK, { recursive: true });
  const file = `${WORK}/${name}.yml`;
  writeFileSync(file, text);
  await shoalOk(h1, 'stack', 'deploy', '-d', '-c', file, name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await shoalOk(h1, 'stack', 'services', '--format', 'json', name)).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const short = rows.filter((r) => !/^(\d+)\/\1\b/.test(r.Replicas));
    if (rows.length && !short.length) return;
    if (Date.now() > deadline) throw new Error(`stack ${name} did not converge: ${short.map((r) => `${r.Name} ${r.Replicas}`).join(', ')}`);
    await sleep(500);
  }
}

/** The service's VIP on the network, from `service inspect` (Docker's Endpoint.VirtualIPs). */
async function vipOf(h1, service) {
  const [svc] = JSON.parse(await shoalOk(h1, 'service', 'inspect', service));
  const vips = svc?.endpoint?.virtualIps ?? svc?.Endpoint?.VirtualIPs ?? [];
  const addr = (vips[0]?.address ?? vips[0]?.Addr ?? '').split('/')[0];
  if (!addr) throw new Error(`service ${service} has no virtual IP: ${JSON.stringify(svc?.endpoint ?? svc?.Endpoint ?? {})}`);
  return addr;
}

/** The load client in the namespace of the calling container (pid): {rps, p50, p99}. */
async function load(pid, url, seconds, concurrency) {
  const r = await run('nsenter', [`--net=/proc/${pid}/ns/net`, 'node', CLIENT, url, String(concurrency), String(seconds * 1000)], { timeoutMs: (seconds + 30) * 1000 });
  if (r.code !== 0) throw new Error(`load client failed: ${r.stderr.trim()}`);
  const o = JSON.parse(r.stdout);
  if (o.errors > o.requests / 100) console.error(`${url}: ${o.errors} errors`);
  return { rps: o.requests / o.seconds, p50: o.p50_ms, p99: o.p99_ms };
}

async function throughput(hosts, { runs, seconds, concurrency }, vip) {
  const [caller] = (await tasksOf(hosts, 'bn_client', NETWORK)).filter((t) => t.host.name === 'h2');
  const [backend] = await tasksOf(hosts, 'bn_web', NETWORK);
  if (!caller || !backend) throw new Error('no client on h2 or no web task');
  const viaVip = [];
  const direct = [];
  for (let i = 0; i < runs; i++) {
    viaVip.push(await load(caller.pid, `http://${vip}/`, seconds, concurrency));
    direct.push(await load(caller.pid, `http://${backend.addr}/`, seconds, concurrency));
    console.error(`run ${i + 1}: VIP ${Math.round(viaVip.at(-1).rps)}/s p99 ${viaVip.at(-1).p99} ms, direct ${Math.round(direct.at(-1).rps)}/s p99 ${direct.at(-1).p99} ms`);
  }
  const m = (xs, k) => median(xs.map((x) => x[k]));
  return {
    network_concurrency_count: concurrency,
    network_vip_median_req_per_s: Math.round(m(viaVip, 'rps')),
    network_direct_median_req_per_s: Math.round(m(direct, 'rps')),
    network_vip_vs_direct_ratio: round(m(viaVip, 'rps') / m(direct, 'rps')),
    network_vip_p50_ms: round(m(viaVip, 'p50'), 2),
    network_vip_p99_ms: round(m(viaVip, 'p99'), 2),
    network_direct_p50_ms: round(m(direct, 'p50'), 2),
    network_direct_p99_ms: round(m(direct, 'p99'), 2),
  };
}

async function removals(hosts, count, label) {
  const callers = await tasksOf(hosts, 'bn_client', NETWORK);
  const gateway = (await dockerOn(hosts[0], 'network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Gateway}}{{end}}', NETWORK)).trim();
  const runs = [];
  for (let i = 0; i < count; i++) {
    runs.push(await removalOnce({ hosts, callers, gateway, service: 'bn_victim', shortName: 'victim', network: NETWORK, replicas: 2 }));
    const r = runs.at(-1);
    console.error(`${label}: removal ${i + 1}: ${r.both} ms (DNS ${r.dns} ms, VIP rules ${r.rules} ms)`);
  }
  // a run where a node gave up (Infinity) counts as -1 in max: "did not happen within 8 s"
  const p50 = (k) => percentile(runs.map((r) => r[k]).filter(Number.isFinite), 50);
  const max = (k) => (runs.every((r) => Number.isFinite(r[k])) ? Math.max(...runs.map((r) => r[k])) : -1);
  return { p50: p50('both'), max: max('both'), dnsP50: p50('dns'), rulesP50: p50('rules') };
}

/**
 * Stacks deployed side by side for the many services (the CLI creates a stack's services one by
 * one). NETWORK_DEPLOY_CONCURRENCY=1 deploys them one after the other: concurrent creates on one
 * network have failed with "address ... is already in use" (a VIP handed to two services at once,
 * refused at apply time); the failed deploys are tried again and counted.
 */
const MANY_STACKS = Math.max(1, Number(process.env.NETWORK_DEPLOY_CONCURRENCY ?? 8));

/** `n` services of 0 replicas on the network (each with its VIP), as one stack's compose file. */
function manyServices(from, n) {
  const one = (i) => `  s${i}:\n    image: shoal/netapp:latest\n    networks: [net]\n    deploy:\n      replicas: 0\n`;
  return `services:\n${Array.from({ length: n }, (_, i) => one(from + i)).join('')}networks:\n  net:\n    external: true\n    name: ${NETWORK}\n`;
}

/** Deploys of one stack tried again after a failed create (a stack deploy creates only what is missing). */
const DEPLOY_TRIES = 3;

/**
 * `services` services in MANY_STACKS stacks deployed at once: seconds taken, and how many deploys
 * failed and were run again (concurrent creates have met "address ... is already in use").
 */
async function deployMany(h1, services) {
  const t0 = Date.now();
  const per = Math.ceil(services / MANY_STACKS);
  let retries = 0;
  const one = async (k, n) => {
    for (let i = 1; ; i++) {
      try {
        return await deploy(h1, `many${k}`, manyServices(k * per, n), 900_000);
      } catch (e) {
        if (i >= DEPLOY_TRIES) throw e;
        retries++;
        console.error(`many${k}: deploy failed, trying again: ${e.message}`);
      }
    }
  };
  const sizes = Array.from({ length: MANY_STACKS }, (_, k) => Math.min(per, services - k * per));
  // all at once first; settle all before going on: a stack still deploying must not meet a
  // cluster torn down. Then the ones that gave up, one after the other (no concurrent creates).
  const results = await Promise.allSettled(sizes.map((n, k) => (n > 0 ? one(k, n) : undefined)));
  for (const [k, r] of results.entries()) {
    if (r.status === 'fulfilled') continue;
    retries++;
    console.error(`many${k}: deploying again on its own`);
    await deploy(h1, `many${k}`, manyServices(k * per, sizes[k]), 900_000);
  }
  return { seconds: round((Date.now() - t0) / 1000, 1), retries };
}

export async function networkNetns({ runs = 3, seconds = 5, concurrency = 16, removalRuns = 5, services = 1_000 } = {}) {
  const cluster = await createCluster({ hosts: 3, name: 'bench-network' });
  const hosts = cluster.hosts;
  const [h1, h2, h3] = hosts;
  const out = {};
  try {
    await Promise.all(hosts.map((h) => h.startShoald(['--log-level', 'info'])));
    await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
    const token = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'worker')).trim();
    for (const h of [h2, h3]) await shoalOk(h, 'swarm', 'join', '--token', token, `${h1.addr}:4242`);
    await deploy(h1, 'bn', STACK, 120_000);
    Object.assign(out, await throughput(hosts, { runs, seconds, concurrency }, await vipOf(h1, 'bn_web')));
    const few = await removals(hosts, removalRuns, 'stack alone');
    Object.assign(out, {
      network_removal_runs_count: removalRuns,
      network_removal_p50_ms: few.p50,
      network_removal_max_ms: few.max,
      network_removal_dns_p50_ms: few.dnsP50,
      network_removal_vip_p50_ms: few.rulesP50,
    });
    if (services > 0) {
      const d = await deployMany(h1, services);
      out.network_many_services_deploy_s = d.seconds;
      out.network_many_services_deploy_retries_count = d.retries;
      out.network_many_services_count = services;
      const many = await removals(hosts, removalRuns, `${services} services`);
      Object.assign(out, {
        network_many_removal_p50_ms: many.p50,
        network_many_removal_max_ms: many.max,
        network_many_removal_dns_p50_ms: many.dnsP50,
        network_many_removal_vip_p50_ms: many.rulesP50,
      });
    }
  } finally {
    await destroyCluster(cluster);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const env = process.env;
  const res = await networkNetns({
    runs: Number(env.NETWORK_RUNS ?? 3),
    seconds: Number(env.NETWORK_SECONDS ?? 5),
    concurrency: Number(env.NETWORK_CONCURRENCY ?? 16),
    removalRuns: Number(env.NETWORK_REMOVALS ?? 5),
    services: Number(env.NETWORK_SERVICES ?? 1000),
  });
  console.log(JSON.stringify(res, null, 2));
}
