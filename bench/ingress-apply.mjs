#!/usr/bin/env -S npx tsx
// The cost of one routing-mesh change on a node, per ingress backend: in a scratch network
// namespace, N published services (one backend each) are programmed, then ONE backend is added to
// one service, and the apply is timed (the tool runs included: iptables-restore, nft,
// ipvsadm-restore; "in tools" is the share of tools run as processes: nftables writes go through
// the long-lived libnftables helper, not counted there; the first apply pays its start). Also shown: the first apply (from nothing) and a restart's reconcile (read
// everything, write nothing). Measures, never asserts. Needs root, iptables, nft (ipvsadm where
// the kernel has IPVS); run under `flock /tmp/shoal-e2e.lock npx tsx bench/ingress-apply.mjs`.
// Env: INGRESS_SERVICES ("1000,10000"), INGRESS_CHANGES (5).
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createIngressBackend, runCommand, selectIngressBackend } from '@shoal/worker';

const NET = { id: 'i11bbench0abcdef', subnet: '10.0.0.0/16', gateway: '10.0.0.1', nodeAddress: '10.0.0.2' };
const round = (x) => Math.round(x * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const backendIp = (i) => `10.0.${1 + (i >> 8)}.${i & 255}`;

/** `services` ports from 10000 with one backend each; `extra` maps a service index to a second backend. */
function table(services, extra = new Map()) {
  const ports = Array.from({ length: services }, (_, i) => ({
    publishedPort: 10_000 + i,
    protocol: 'tcp',
    serviceId: `s${i}`,
    backends: [{ ip: backendIp(i), port: 80, taskId: `t${i}` }, ...(extra.has(i) ? [{ ip: extra.get(i), port: 80, taskId: `u${i}` }] : [])],
  }));
  return { network: NET, ports };
}

async function timed(fn) {
  const t0 = performance.now();
  const out = await fn();
  return { ms: performance.now() - t0, out };
}

async function measureOne(name, services, changes, baseRun) {
  let toolMs = 0;
  const run = async (cmd, args, input) => {
    const t0 = performance.now();
    const r = await baseRun(cmd, args, input);
    toolMs += performance.now() - t0;
    return r;
  };
  const backend = createIngressBackend(name, { run, nftNetns: '/proc/self/ns/net' });
  const first = await timed(() => backend.apply(table(services)));
  const extra = new Map();
  const changeMs = [];
  const toolsMs = [];
  const lines = [];
  for (let c = 0; c < changes; c++) {
    extra.set(Math.floor(((c + 1) * services) / (changes + 1)), `10.0.250.${c + 1}`);
    const next = table(services, new Map(extra));
    toolMs = 0;
    const r = await timed(() => backend.apply(next));
    changeMs.push(r.ms);
    toolsMs.push(toolMs);
    lines.push(r.out.scriptLines);
  }
  const restarted = createIngressBackend(name, { run, nftNetns: '/proc/self/ns/net' });
  const reconcile = await timed(() => restarted.apply(table(services, extra)));
  await backend.removeAll();
  for (const b of [backend, restarted]) b.close();
  return { backend: name, services, firstMs: round(first.ms), changeMs: round(median(changeMs)), changeMinMs: round(Math.min(...changeMs)), changeMaxMs: round(Math.max(...changeMs)), toolsMs: round(median(toolsMs)), changeLines: median(lines), reconcileMs: round(reconcile.ms), reconcileLines: reconcile.out.scriptLines };
}

/** Inside the scratch namespace: every backend whose probe passes, measured with the tools run directly (as shoald runs them). */
async function measureHere(services, changes, backends) {
  const rows = [];
  const skipped = [];
  for (const name of backends) {
    try {
      await selectIngressBackend(name, { run: runCommand });
    } catch (e) {
      skipped.push({ backend: name, reason: e.message });
      continue;
    }
    for (const n of services) rows.push(await measureOne(name, n, changes, runCommand));
  }
  return { rows, skipped };
}

/**
 * Creates a scratch namespace, runs this file again inside it (`ip netns exec`, so that no
 * nsenter is timed), removes the namespace; returns one row per (backend, services) and the
 * backends skipped, with why.
 */
export async function measureIngressApply({ services = [1_000, 10_000], changes = 5, backends = ['iptables', 'nftables', 'ipvs'] } = {}) {
  const ns = `i11b-bench-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const args = ['netns', 'exec', ns, process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), INSIDE, JSON.stringify({ services, changes, backends })];
    return JSON.parse(execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 }));
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

function print({ rows, skipped }) {
  console.log('backend   services  first apply  ONE change (median, min-max)  in tools  lines  reconcile (lines)');
  for (const r of rows) {
    console.log(
      `${r.backend.padEnd(9)} ${String(r.services).padStart(8)}  ${`${r.firstMs} ms`.padStart(11)}  ${`${r.changeMs} ms (${r.changeMinMs}-${r.changeMaxMs})`.padStart(28)}  ${`${r.toolsMs} ms`.padStart(8)}  ${String(r.changeLines).padStart(5)}  ${r.reconcileMs} ms (${r.reconcileLines})`,
    );
  }
  for (const s of skipped) console.log(`${s.backend}: skipped (${s.reason})`);
}

const INSIDE = '--inside-scratch-netns';

if (process.argv[2] === INSIDE) {
  const o = JSON.parse(process.argv[3]);
  process.stdout.write(JSON.stringify(await measureHere(o.services, o.changes, o.backends)));
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const services = (process.env.INGRESS_SERVICES ?? '1000,10000').split(',').map(Number);
  print(await measureIngressApply({ services, changes: Number(process.env.INGRESS_CHANGES ?? 5) }));
}
