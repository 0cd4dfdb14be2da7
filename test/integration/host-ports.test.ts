import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { seededRng, type HostPort, type ServiceSpec } from '@shoal/common';
import { Manager } from '@shoal/manager';
import { createService, updateService } from '../../packages/manager/src/control/services.js';
import { Agent, FakeRuntime } from '@shoal/worker';
import { serveClusterApi } from '../../packages/daemon/src/cluster-api.js';
import { shutdownServer } from '../../packages/daemon/src/local-api.js';
import { ingressPort, quiet, serviceSpec, until } from './fixtures.js';

/**
 * An agent reports the ports its host's processes listen on; the manager refuses an ingress port
 * one of them holds. Real gRPC on loopback, a real Raft log, a fake container runtime and a
 * scripted host-port scanner.
 */
const clock = { now: () => Date.now() };
const ingress = { apply: async () => {}, removeAll: async () => {} };

const webSpec = (name: string, publishedPort: number): ServiceSpec => serviceSpec({ name, ports: [ingressPort(publishedPort)] });

let dir: string;
let manager: Manager;
let server: grpc.Server;
let agent: Agent;
let listening: HostPort[] = [{ port: 8080, protocol: 'tcp', process: 'nginx', pid: 4242 }];

describe('ingress ports held by host processes', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-hostports-'));
    manager = await Manager.open({
      dataDir: join(dir, 'manager'), nodeId: 'n1', addr: '127.0.0.1:0', clock, rng: seededRng(1), log: quiet, identify: () => 'n1',
      credentials: () => grpc.credentials.createInsecure(),
    });
    await manager.bootstrap({ clusterId: 'c1', nodeId: 'n1', hostname: 'one', addr: '127.0.0.1', ingressNetworkId: 'ingress0' });
    await manager.waitUntilLeader(10_000);
    const served = await serveClusterApi('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), { dispatcher: manager.dispatcherHandlers() });
    server = served.server;
    const runtime = new FakeRuntime();
    const description = { ...(await runtime.describe()), hostname: 'h1' };
    agent = new Agent({
      nodeId: 'n1', managers: [`127.0.0.1:${served.port}`], addr: '127.0.0.1', description, executor: runtime, clock, log: quiet, ingress,
      credentials: () => grpc.credentials.createInsecure(),
      hostPorts: async () => listening,
    });
    await agent.start();
  }, 30_000);

  afterAll(async () => {
    await agent.stop({ cleanup: false });
    await shutdownServer(server);
    await manager.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the node carries what its agent reported, and service create refuses the port, naming node and listener', async () => {
    await until('the report', () => (manager.store.view().get('nodes', 'n1')?.hostPorts?.length ? true : undefined));
    expect(manager.store.view().get('nodes', 'n1')!.hostPorts).toEqual([{ port: 8080, protocol: 'tcp', process: 'nginx', pid: 4242 }]);
    await expect(createService(manager.store, seededRng(2), webSpec('web', 8080))).rejects.toThrow('port 8080 is already in use on node h1 by nginx (pid 4242)');
    expect(manager.store.view().list('services')).toEqual([]);
  });

  it('a port no host process holds is published; a later listener does not block updates of it', async () => {
    const web = await createService(manager.store, seededRng(3), webSpec('web', 9090));
    listening = [...listening, { port: 9090, protocol: 'tcp', process: 'late', pid: 7 }];
    await until('the new report', () => (manager.store.view().get('nodes', 'n1')?.hostPorts?.length === 2 ? true : undefined));
    await expect(updateService(manager.store, web.id, 0, { ...webSpec('web', 9090), mode: { kind: 'replicated', replicas: 2 } })).resolves.toBeDefined();
    await expect(updateService(manager.store, web.id, 0, webSpec('web', 8080))).rejects.toThrow('port 8080 is already in use on node h1 by nginx (pid 4242)');
  });

  it('once the listener is gone, the port can be published', async () => {
    listening = [];
    await until('the empty report', () => (manager.store.view().get('nodes', 'n1')?.hostPorts?.length === 0 ? true : undefined));
    await expect(createService(manager.store, seededRng(4), webSpec('api', 8080))).resolves.toBeDefined();
  });
});
