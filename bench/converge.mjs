import * as grpc from '@grpc/grpc-js';
import { Manager } from '../packages/manager/dist/index.js';
import { createService } from '../packages/manager/dist/control/services.js';
import { Agent, FakeRuntime } from '../packages/worker/dist/index.js';
import { serveClusterApi } from '../packages/daemon/dist/cluster-api.js';
import { shutdownServer } from '../packages/daemon/dist/local-api.js';
import { seededRng } from '../packages/common/dist/index.js';
import { benchServiceSpec } from './service-spec.mjs';

const clock = { now: () => Date.now() };
const quiet = { info() {}, warn() {}, debug() {}, error() {} };
const ingress = { apply: async () => {}, removeAll: async () => {} };

/** Milliseconds from createService until every replica reports running (fake runtime). */
export async function converge(path, replicas) {
  const manager = await Manager.open({
    dataDir: path, nodeId: 'n1', addr: '127.0.0.1:0', clock, rng: seededRng(1), log: quiet, identify: () => 'n1',
    credentials: () => grpc.credentials.createInsecure(),
  });
  await manager.bootstrap({ clusterId: 'c', nodeId: 'n1', hostname: 'bench', addr: '127.0.0.1', ingressNetworkId: 'ingress0' });
  const { server, port } = await serveClusterApi('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), { dispatcher: manager.dispatcherHandlers() });
  const runtime = new FakeRuntime();
  const agent = new Agent({ nodeId: 'n1', managers: [`127.0.0.1:${port}`], addr: '127.0.0.1', description: await runtime.describe(), executor: runtime, clock, log: quiet, ingress, credentials: () => grpc.credentials.createInsecure() });
  await agent.start();
  const t0 = performance.now();
  await createService(manager.store, seededRng(2), benchServiceSpec('bench', replicas, [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }]));
  while (manager.store.view().find('tasks', (t) => t.status.state === 'running').length < replicas) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = Math.round(performance.now() - t0);
  await agent.stop({ cleanup: false });
  await shutdownServer(server);
  await manager.close();
  return { bench: 'converge-fake-runtime', replicas, ms };
}
