#!/usr/bin/env -S npx tsx
// The floor of bench:converge, swept: on 3 netns hosts with real Docker Engines, 30 containers
// created and started straight through the Engine API, N create+start calls in flight per engine
// ("3") or every create first, then every start, N at a time ("p3"). Prints the median per way.
// Measures only. Needs root, scripts/setup-host.sh; run it under
//   flock /tmp/shoal-e2e.lock npx tsx bench/converge-floor-sweep.mjs
// Env: SWEEP_WAYS (1,2,3,5,10,p3,p10), SWEEP_RUNS (2), SWEEP_REPLICAS (30).
import { createCluster, destroyCluster } from '../e2e/harness/netns/index.ts';
import { engineOf, inPool, median, removeAllWith, round } from './lib/netns-engines.mjs';

const IMAGE = 'shoal/busybox:latest';
const CMD = ['httpd', '-f', '-p', '8080'];
const LABEL = 'bench.floor';

async function once(engines, replicas, perEngine, phased) {
  await removeAllWith(engines, LABEL);
  const spec = { Image: IMAGE, Cmd: CMD, Labels: { [LABEL]: 'true' }, HostConfig: { NetworkMode: 'bridge' } };
  const t0 = Date.now();
  await Promise.all(
    engines.map(async (e, k) => {
      const mine = Array.from({ length: replicas }, (_, i) => i).filter((i) => i % engines.length === k);
      if (!phased) return inPool(mine, perEngine, async () => (await e.createContainer(spec)).start());
      const created = [];
      await inPool(mine, perEngine, async () => created.push(await e.createContainer(spec)));
      await inPool(created, perEngine, (c) => c.start());
    }),
  );
  const s = (Date.now() - t0) / 1000;
  await removeAllWith(engines, LABEL);
  return s;
}

const env = process.env;
const ways = (env.SWEEP_WAYS ?? '1,2,3,5,10,p3,p10').split(',');
const runs = Number(env.SWEEP_RUNS ?? 2);
const replicas = Number(env.SWEEP_REPLICAS ?? 30);
const cluster = await createCluster({ hosts: 3, name: 'bench-converge' });
const samples = {};
try {
  const engines = cluster.hosts.map(engineOf);
  for (let r = 0; r < runs; r++) {
    // every other run in the reverse order, so that no way always comes first
    for (const way of r % 2 ? [...ways].reverse() : ways) {
      const s = await once(engines, replicas, Number(way.replace('p', '')), way.startsWith('p'));
      (samples[way] ??= []).push(s);
      console.error(`run ${r + 1} ${way}: ${s} s`);
    }
  }
} finally {
  await destroyCluster(cluster);
}
console.log(JSON.stringify(Object.fromEntries(Object.entries(samples).map(([w, xs]) => [w, { median_s: round(median(xs)), runs_s: xs }])), null, 2));
