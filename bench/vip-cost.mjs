#!/usr/bin/env -S npx tsx
// npm run bench:vip — what one change of the NetworkTable costs the VIP rules on a node: the pure
// builder (vipsByTask + nftVipScript) and a VipBalancer pass (nsenter + nft, conntrack), for 1
// and 50 local containers, with 1 and 1,000 services on their network. On this machine's Docker
// Engine (containers of shoal/busybox on a bridge network named shoal-vip-bench-*). Measures,
// never asserts. Needs root, nft, conntrack (scripts/setup-host.sh); run under
// `flock /tmp/shoal-e2e.lock npm run bench:vip`. Env: VIP_CONTAINERS ("1,50"), VIP_SERVICES ("1,1000").
import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { VipBalancer, nftVipScript, vipsByTask } from '@shoal/worker';

const sh = (...args) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const NET = `shoal-vip-bench-${process.pid}`;
const CONTAINERS = (process.env.VIP_CONTAINERS ?? '1,50').split(',').map(Number);
const SERVICES = (process.env.VIP_SERVICES ?? '1,1000').split(',').map(Number);
const round = (x) => Math.round(x * 10) / 10;

/** addr(i) in 10.232.0.0/16: VIPs from .0.10, callers from .200.1, backends from .100.1. */
const addr = (base, i) => `10.232.${base + Math.floor(i / 250)}.${(i % 250) + 1}`;

/** One network: `services` VIP services of 2 backends each (one of them, in `change`, dropped), `callers` callers. */
function table(services, callers, change = false) {
  const svc = Array.from({ length: services }, (_, i) => ({ id: `s${i}`, name: `s${i}`, aliases: [], endpointMode: 'vip', vip: addr(0, i) }));
  const endpoints = [];
  for (let i = 0; i < services; i++) {
    endpoints.push({ taskId: `b${i}a`, serviceId: `s${i}`, address: addr(100, 2 * i), nodeId: 'n2', nodeAddr: '192.168.0.2', serving: !(change && i === 0) });
    endpoints.push({ taskId: `b${i}b`, serviceId: `s${i}`, address: addr(100, 2 * i + 1), nodeId: 'n2', nodeAddr: '192.168.0.2', serving: true });
  }
  for (let i = 0; i < callers; i++) endpoints.push({ taskId: `c${i}`, serviceId: 'caller', address: addr(200, i), nodeId: 'n1', nodeAddr: '192.168.0.1', serving: true });
  const allocation = { subnet: '10.232.0.0/16', gateway: '10.232.255.254', vxlanId: 4200 };
  return { networks: [{ id: 'net', name: NET, allocation, internal: false, attachable: false, driverOpts: {}, services: svc, endpoints }] };
}

function timePure(services, callers) {
  const t = table(services, callers, true);
  const ids = Array.from({ length: callers }, (_, i) => `c${i}`);
  const runs = 20;
  const t0 = performance.now();
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    const plans = vipsByTask(t, ids);
    const scripts = new Map();
    for (const p of plans.values()) if (!scripts.has(p.key)) scripts.set(p.key, nftVipScript(p.vips));
    bytes = [...scripts.values()][0].length;
  }
  return { ms: round((performance.now() - t0) / runs), scriptBytes: bytes };
}

async function timePasses(balancer, services, callers) {
  const first = performance.now();
  const s1 = await balancer.sync(table(services, callers));
  const firstMs = performance.now() - first;
  const change = performance.now();
  const s2 = await balancer.sync(table(services, callers, true));
  const changeMs = performance.now() - change;
  const same = performance.now();
  await balancer.sync(table(services, callers, true));
  const sameMs = performance.now() - same;
  // Steady state: the nft helper is running; the backend comes back, then goes again.
  await balancer.sync(table(services, callers));
  const again = performance.now();
  const s3 = await balancer.sync(table(services, callers, true));
  const againMs = performance.now() - again;
  return {
    firstMs: round(firstMs),
    firstChangeMs: round(changeMs),
    firstChangeRulesMs: s2.rulesMs,
    changeMs: round(againMs),
    changeRulesMs: s3.rulesMs,
    unchangedMs: round(sameMs),
    programmed: s3.programmed,
    containers: s1.containers,
  };
}

/** The machine's load, as the cost of one child process (`true`) started from node: the unit every pass pays per namespace. */
function spawnMs() {
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) execFileSync('true');
  return round((performance.now() - t0) / 20);
}

async function main() {
  console.log(JSON.stringify({ spawnMs: spawnMs() }));
  sh('network', 'create', '--subnet', '10.232.0.0/16', '--label', 'io.shoal.bench=vip', NET);
  const ids = [];
  try {
    const docker = new Docker();
    for (const callers of CONTAINERS) {
      while (ids.length < callers) {
        const i = ids.length;
        ids.push(sh('run', '-d', '--network', NET, '--ip', addr(200, i), '--label', `io.shoal.task.id=c${i}`, '--label', 'io.shoal.bench=vip', 'shoal/busybox:latest', 'sleep', '3600'));
      }
      for (const services of SERVICES) {
        const pure = timePure(services, callers);
        const balancer = new VipBalancer({ docker });
        const exec = await timePasses(balancer, services, callers);
        await balancer.removeAll();
        balancer.stop();
        console.log(JSON.stringify({ callers, services, pureMs: pure.ms, scriptBytes: pure.scriptBytes, ...exec }));
      }
    }
  } finally {
    if (ids.length) sh('rm', '-f', ...ids);
    sh('network', 'rm', NET);
  }
}

await main();
