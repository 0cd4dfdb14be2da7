import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { DEFAULT_RESTART_POLICY, addressOf, seededRng, type IngressEntry, type IngressTable, type ServiceSpec, type Task } from '@shoal/common';
import { Manager } from '@shoal/manager';
import { createService, updateService } from '../../packages/manager/src/control/services.js';
import { Agent, FakeRuntime } from '@shoal/worker';
import { serveClusterApi } from '../../packages/daemon/src/cluster-api.js';
import { shutdownServer } from '../../packages/daemon/src/local-api.js';
import { ingressPort, quiet, serviceSpec, until } from './fixtures.js';

/**
 * A manager and an agent as in shoald, over real gRPC on loopback and a real LevelDB log, with a
 * fake container runtime and an ingress recorder instead of Docker and iptables.
 */
const clock = { now: () => Date.now() };

class IngressRecorder {
  table: IngressEntry[] = [];
  network: IngressTable['network'];
  async apply(it: IngressTable) {
    this.table = [...it.ports];
    this.network = it.network;
  }
  async removeAll() {
    this.table = [];
  }
}

const webSpec = (replicas: number, image = 'hello:1'): ServiceSpec =>
  serviceSpec({ replicas, image, ports: [ingressPort(8080)], restartPolicy: { ...DEFAULT_RESTART_POLICY, delayMs: 200 } });

interface Node {
  manager: Manager;
  server: grpc.Server;
  agent: Agent;
  runtime: FakeRuntime;
  ingress: IngressRecorder;
}

let dir: string;
let node: Node | undefined;

async function startNode(runtime = new FakeRuntime(), port = 0): Promise<Node & { port: number }> {
  // Loopback without TLS: the dispatcher takes the single agent's word for who it is (the
  // mutual-TLS identity check is exercised by the CA tests and the e2e suites).
  const manager = await Manager.open({
    dataDir: join(dir, 'manager'), nodeId: 'n1', addr: '127.0.0.1:0', clock, rng: seededRng(port || 1), log: quiet, identify: () => 'n1',
    credentials: () => grpc.credentials.createInsecure(),
  });
  if (manager.isNew) await manager.bootstrap({ clusterId: 'c1', nodeId: 'n1', hostname: 'one', addr: '127.0.0.1', ingressNetworkId: 'ingress0' });
  else manager.start();
  await manager.waitUntilLeader(10_000);
  const { server, port: bound } = await serveClusterApi(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), { dispatcher: manager.dispatcherHandlers() });
  const ingress = new IngressRecorder();
  const description = await runtime.describe();
  const agent = new Agent({ nodeId: 'n1', managers: [`127.0.0.1:${bound}`], addr: '127.0.0.1', description, executor: runtime, clock, log: quiet, ingress, credentials: () => grpc.credentials.createInsecure() });
  await agent.start();
  node = { manager, server, agent, runtime, ingress };
  return { ...node, port: bound };
}

async function stopNode(): Promise<void> {
  if (!node) return;
  await node.agent.stop({ cleanup: false });
  await shutdownServer(node.server);
  await node.manager.close();
  node = undefined;
}

const running = (m: Manager): Task[] => m.store.view().find('tasks', (t) => t.status.state === 'running' && t.desiredState === 'running');

describe('one node over loopback gRPC with a fake runtime', () => {
  afterEach(async () => {
    await stopNode();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the replicas, publishes them to ingress, restarts a dead one and keeps state across a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-int-'));
    const { manager, runtime, ingress, port } = await startNode();
    await createService(manager.store, seededRng(7), webSpec(3));
    const three = await until('3 running tasks', () => (running(manager).length === 3 ? running(manager) : undefined));
    await until('3 ingress backends', () => (ingress.table[0]?.backends.length === 3 ? true : undefined));
    expect(ingress.table[0]).toMatchObject({ publishedPort: 8080, protocol: 'tcp' });
    // The routing mesh: this node's own address on the ingress network, and the backends by theirs.
    const mesh = manager.store.view().get('networks', 'ingress0')!;
    expect(ingress.network).toEqual({ id: 'ingress0', subnet: mesh.allocation!.subnet, gateway: mesh.allocation!.gateway, nodeAddress: addressOf(manager.store.view().get('nodes', 'n1')!.ingress!.address) });
    const meshAddresses = three.map((t) => addressOf(t.networks!.find((n) => n.networkId === 'ingress0')!.address)).sort();
    expect(ingress.table[0]!.backends.map((b) => b.ip).sort()).toEqual(meshAddresses);

    runtime.containerOf(three[0]!.id)!.exit(1);
    await until('a replacement for the dead task', () =>
      running(manager).length === 3 && !running(manager).some((t) => t.id === three[0]!.id) ? true : undefined,
    );
    const dead = manager.store.view().get('tasks', three[0]!.id)!;
    expect(dead.status.state).toBe('failed');
    expect(dead.status.err).toContain('non-zero exit (1)');

    const before = running(manager).map((t) => t.id).sort();
    await stopNode();
    const again = await startNode(runtime, port);
    expect(again.manager.store.view().list('services').map((s) => s.spec.annotations.name)).toEqual(['web']);
    await until('tasks running again after restart', () => (running(again.manager).length === 3 ? true : undefined));
    expect(running(again.manager).map((t) => t.id).sort()).toEqual(before);
    expect([...runtime.containers.values()].filter((c) => c.running)).toHaveLength(3);
  });

  it('scales 3 -> 5 without touching the first three, then replaces tasks one at a time on an image change', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-int-'));
    const { manager } = await startNode();
    const svc = await createService(manager.store, seededRng(8), webSpec(3));
    const first = (await until('3 running', () => (running(manager).length === 3 ? running(manager) : undefined))).map((t) => t.id);
    const v = manager.store.view().get('services', svc.id)!.meta.version;
    await updateService(manager.store, svc.id, v, webSpec(5));
    const five = await until('5 running', () => (running(manager).length === 5 ? running(manager) : undefined));
    expect(five.map((t) => t.id)).toEqual(expect.arrayContaining(first));

    const v2 = manager.store.view().get('services', svc.id)!.meta.version;
    await updateService(manager.store, svc.id, v2, webSpec(5, 'hello:2'));
    await until('all 5 on the new image', () =>
      running(manager).filter((t) => t.spec.container.image === 'hello:2').length === 5 ? true : undefined,
    );
    const slots = running(manager).map((t) => t.slot).sort();
    expect(slots).toEqual([1, 2, 3, 4, 5]);
  });
});
