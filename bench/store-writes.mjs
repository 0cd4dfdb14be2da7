import * as grpc from '@grpc/grpc-js';
import { Manager } from '../packages/manager/dist/index.js';
import { seededRng } from '../packages/common/dist/index.js';
import { percentile } from './percentile.mjs';
import { benchServiceSpec } from './service-spec.mjs';

const clock = { now: () => Date.now() };
const quiet = { info() {}, warn() {}, debug() {}, error: (o, m) => console.error(m, o) };

/**
 * Store writes through the production path of a one-manager swarm (`swarm init`): the Raft host,
 * its LevelDB log (fsync on) and the Raft proposer, with the leader's loops running. Each writer
 * updates the labels of its own service (0 replicas) in a loop for `ms` milliseconds.
 */
export async function storeWrites(path, writers, ms) {
  const manager = await Manager.open({
    dataDir: path, nodeId: 'n1', addr: '127.0.0.1:0', clock, rng: seededRng(1), log: quiet,
    credentials: () => grpc.credentials.createInsecure(),
  });
  await manager.bootstrap({ clusterId: 'c', nodeId: 'n1', hostname: 'bench', addr: '127.0.0.1' });
  const ids = Array.from({ length: writers }, (_, i) => `s${i}`);
  await manager.store.update((tx) => {
    for (const id of ids) tx.create('services', { id, spec: benchServiceSpec(id, 0) });
  });
  const latencies = [];
  const end = Date.now() + ms;
  await Promise.all(
    ids.map(async (id) => {
      for (let i = 0; Date.now() < end; i++) {
        const t0 = performance.now();
        await manager.store.update((tx) => {
          const s = tx.get('services', id);
          tx.update('services', { ...s, spec: { ...s.spec, annotations: { ...s.spec.annotations, labels: { n: String(i) } } } });
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  await manager.close();
  return {
    bench: 'store-writes-raft-1-manager',
    writers,
    writesPerSec: Math.round(latencies.length / (ms / 1000)),
    p50ms: percentile(latencies, 50),
    p99ms: percentile(latencies, 99),
  };
}
