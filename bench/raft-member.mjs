// One manager of the raft benchmark, in its own process: a Manager bootstrapped into a static
// group of three over loopback gRPC (no TLS: the benchmark measures Raft, LevelDB and gRPC), with
// the control API served on the same port. Args: DATA_DIR INDEX PORT1,PORT2,PORT3
import * as grpc from '@grpc/grpc-js';
import { Manager, controlHandlers } from '../packages/manager/dist/index.js';
import { serveClusterApi } from '../packages/daemon/dist/cluster-api.js';
import { seededRng } from '../packages/common/dist/index.js';
import { benchServiceSpec } from './service-spec.mjs';

const [dataDir, indexArg, portsArg] = process.argv.slice(2);
const index = Number(indexArg);
const ports = portsArg.split(',').map(Number);
const members = ports.map((port, i) => ({ raftId: i + 1, nodeId: `m${i + 1}`, addr: `127.0.0.1:${port}` }));
const quiet = { info() {}, warn() {}, error: (o, m) => console.error(m, o) };
const clock = { now: () => Date.now() };

const manager = await Manager.open({
  dataDir, nodeId: `m${index + 1}`, addr: members[index].addr, clock, rng: seededRng(index + 1), log: quiet,
  credentials: () => grpc.credentials.createInsecure(),
});
const control = manager.routeControl(controlHandlers(() => manager.store, seededRng(100 + index), () => 'unused'));
await serveClusterApi(members[index].addr, grpc.ServerCredentials.createInsecure(), {
  dispatcher: manager.dispatcherHandlers(),
  raft: manager.raftHandlers(() => 'peer'),
  control,
});
await manager.bootstrapGroup(index + 1, members);
const announce = setInterval(() => {
  if (!manager.isLeader()) return;
  process.send?.({ leader: index });
  clearInterval(announce);
}, 20);
process.on('SIGTERM', () => void manager.close().finally(() => process.exit(0)));

// The driver may ask the leader to write from inside its own process (no client gRPC, no
// CreateService validation): what Raft, LevelDB and the peer streams sustain on their own.
process.on('message', async (m) => {
  if (m?.storeWriters === undefined) return;
  const result = await storeWritesOnLeader(m.storeWriters, m.ms);
  process.send?.({ storeResult: result });
});

async function storeWritesOnLeader(writers, ms) {
  // Each writer updates the labels of its own service (0 replicas): a write the orchestrator
  // looks at, as a `service update` would be.
  const ids = Array.from({ length: writers }, (_, i) => `w${writers}-${i}`);
  await manager.store.update((tx) => {
    for (const id of ids) tx.create('services', { id, spec: benchServiceSpec(id, 0) });
  });
  const latencies = [];
  const end = Date.now() + ms;
  await Promise.all(ids.map(async (id) => {
    for (let i = 0; Date.now() < end; i++) {
      const t0 = performance.now();
      await manager.store.update((tx) => {
        const s = tx.get('services', id);
        tx.update('services', { ...s, spec: { ...s.spec, annotations: { ...s.spec.annotations, labels: { n: String(i) } } } });
      });
      latencies.push(performance.now() - t0);
    }
  }));
  return latencies;
}
