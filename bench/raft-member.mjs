// One manager of the raft benchmark, in its own process, wired as shoald wires its manager: a
// Manager bootstrapped into a static group of three over loopback, mutual TLS with certificates
// from the swarm's CA (the driver issues them), the node-to-node port behind the TLS front and the
// access policy (manager/src/edge), and the control API served there, routed to the leader.
// Args: DATA_DIR INDEX PORT1,PORT2,PORT3 CERTS_JSON (path: { clusterId, certs: { m1: NodeCerts, ... } })
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Manager, controlHandlers, CONNECTION_LIMITS } from '../packages/manager/dist/index.js';
import { bootstrapCluster } from '../packages/manager/dist/bootstrap.js';
import { serveClusterApi } from '../packages/daemon/dist/cluster-api.js';
import { nodeClientCredentials } from '../packages/daemon/dist/tls/credentials.js';
import { seededRng } from '../packages/common/dist/index.js';
import { benchServiceSpec } from './service-spec.mjs';

const [dataDir, indexArg, portsArg, certsPath] = process.argv.slice(2);
const index = Number(indexArg);
const ports = portsArg.split(',').map(Number);
const members = ports.map((port, i) => ({ raftId: i + 1, nodeId: `m${i + 1}`, addr: `127.0.0.1:${port}` }));
const self = members[index];
const { clusterId, certs: allCerts } = JSON.parse(readFileSync(certsPath, 'utf8'));
const certs = allCerts[self.nodeId];
const quiet = { info() {}, warn: (o, m) => console.error(`${self.nodeId}: ${m}`, o), error: (o, m) => console.error(`${self.nodeId}: ${m}`, o) };
const clock = { now: () => Date.now() };

const manager = await Manager.open({
  dataDir, nodeId: self.nodeId, addr: self.addr, clock, rng: seededRng(index + 1), log: quiet,
  credentials: () => nodeClientCredentials(certs),
});
const control = manager.routeControl(controlHandlers(() => manager.store, seededRng(100 + index), () => 'unused', (n) => manager.decorateNode(n), manager.roleChanges()));
const api = await serveClusterApi(self.addr, { certs, limits: CONNECTION_LIMITS, log: (m, f) => quiet.warn(f, m) }, manager.clusterServices(control));
await manager.bootstrapGroup(self.raftId, members);

// The leader writes what `swarm init` and two `swarm join --token <manager>` would have: the
// cluster and the three manager nodes, so the access policy finds every caller's role.
const announce = setInterval(async () => {
  if (!manager.isLeader()) return;
  clearInterval(announce);
  await bootstrapCluster(manager.store, { clusterId, nodeId: self.nodeId, hostname: self.nodeId, addr: self.addr, raftId: self.raftId });
  await manager.store.update((tx) => {
    for (const m of members) {
      if (m.nodeId === self.nodeId || tx.get('nodes', m.nodeId)) continue;
      const leader = tx.get('nodes', self.nodeId);
      tx.create('nodes', { ...leader, id: m.nodeId, description: { ...leader.description, hostname: m.nodeId }, status: { ...leader.status, addr: m.addr }, managerStatus: { leader: false, reachability: 'reachable', addr: m.addr, raftId: m.raftId } });
    }
  });
  process.send?.({ leader: index });
}, 20);
process.on('SIGTERM', () => void Promise.all([api.close(), manager.close()]).finally(() => process.exit(0)));
process.on('disconnect', () => process.exit(1));

// The driver may ask the leader to write from inside its own process (no client gRPC, no
// CreateService validation): what Raft, LevelDB and the peer streams sustain on their own.
process.on('message', async (m) => {
  if (m?.profile !== undefined) return void profile(m.profile).then(() => process.send?.({ profiled: m.profile }));
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

// The driver profiles the leader during one phase only (not the start-up): CPU profile written to `stop`.
const inspector = new Session();
async function profile(what) {
  if (what === 'start') {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
    return;
  }
  const { profile: p } = await inspector.post('Profiler.stop');
  writeFileSync(what.stop, JSON.stringify(p));
  inspector.disconnect();
}
