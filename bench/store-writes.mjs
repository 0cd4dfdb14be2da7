import { openLocalStore } from '../packages/manager/dist/proposer/index.js';
import { percentile } from './percentile.mjs';

const clock = { now: () => Date.now() };

/** Each writer updates its own object in a loop for `ms` milliseconds. */
export async function storeWrites(path, writers, ms) {
  const { store, proposer } = await openLocalStore({ path, clock });
  const ids = Array.from({ length: writers }, (_, i) => `n${i}`);
  await store.update((tx) => {
    for (const id of ids) tx.create('clusters', { id, spec: { annotations: { name: id, labels: {} }, taskHistoryRetentionLimit: 5, heartbeatPeriodMs: 1000, nodeCertLifetimeMs: 1e9 } });
  });
  const latencies = [];
  const end = Date.now() + ms;
  await Promise.all(
    ids.map(async (id) => {
      while (Date.now() < end) {
        const t0 = performance.now();
        await store.update((tx) => {
          const c = tx.get('clusters', id);
          tx.update('clusters', { ...c, spec: { ...c.spec, heartbeatPeriodMs: c.spec.heartbeatPeriodMs + 1 } });
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  await proposer.close();
  return {
    bench: 'store-writes',
    writers,
    writesPerSec: Math.round(latencies.length / (ms / 1000)),
    p50ms: percentile(latencies, 50),
    p99ms: percentile(latencies, 99),
  };
}
