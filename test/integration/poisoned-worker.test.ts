import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { WORKER_INPUT_LIMITS, seededRng, type Task } from '@shoal/common';
import { Manager } from '@shoal/manager';
import { Agent, FakeRuntime } from '@shoal/worker';
import { createService } from '../../packages/manager/src/control/services.js';
import { serveClusterApi } from '../../packages/daemon/src/cluster-api.js';
import { shutdownServer } from '../../packages/daemon/src/local-api.js';
import { HostileDispatcher, type Outcome } from '../hostile/hostile-dispatcher.js';
import { poisonDispatcher, type Expectation } from '../hostile/poison-dispatcher.js';
import { quiet, serviceSpec, until } from './fixtures.js';

/**
 * A node's agent and a hostile client with the same identity talk to the real dispatcher over
 * gRPC on loopback (no TLS: the dispatcher takes the one identity's word). The hostile client
 * sends null descriptions, 5 MB hostnames, 7 MB statuses, wrong types and undecodable bytes;
 * each must be refused with a clear line, and the store must hold only what an honest node sends.
 */
const clock = { now: () => Date.now() };
const INVALID_ARGUMENT = grpc.status.INVALID_ARGUMENT;

let dir: string;
let manager: Manager;
let server: grpc.Server;
let agent: Agent;
let target: string;
const refusals: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shoal-poison-'));
  const log = { ...quiet, info: (o: object, msg?: string) => void (msg === 'refused input from node' && refusals.push(JSON.stringify(o))) };
  manager = await Manager.open({
    dataDir: join(dir, 'manager'), nodeId: 'n1', addr: '127.0.0.1:0', clock, rng: seededRng(3), log, identify: () => 'n1',
    credentials: () => grpc.credentials.createInsecure(),
  });
  const served = await serveClusterApi('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), { dispatcher: manager.dispatcherHandlers() });
  server = served.server;
  target = `127.0.0.1:${served.port}`;
  // The manager's address is the one its sessions hand out: an agent that lost its session
  // comes back to it.
  await manager.bootstrap({ clusterId: 'c1', nodeId: 'n1', hostname: 'one', addr: target });
  await manager.waitUntilLeader(10_000);
  const runtime = new FakeRuntime();
  const ingress = { apply: async () => {}, removeAll: async () => {} };
  agent = new Agent({ nodeId: 'n1', managers: [target], addr: '127.0.0.1', description: await runtime.describe(), executor: runtime, clock, log: quiet, ingress, credentials: () => grpc.credentials.createInsecure() });
  await agent.start();
});

afterAll(async () => {
  await agent?.stop({ cleanup: false });
  if (server) await shutdownServer(server);
  await manager?.close();
  rmSync(dir, { recursive: true, force: true });
});

const running = (): Task[] => manager.store.view().find('tasks', (t) => t.status.state === 'running');

function answered(o: Outcome, expected: Expectation): boolean {
  if (expected === 'refused') return o.code === INVALID_ARGUMENT && o.details.length > 0 && o.details.length < 300;
  if (expected === 'undecodable') return o.code === grpc.status.INTERNAL;
  return o.code === grpc.status.OK;
}

describe('a worker that sends poison to the real dispatcher', () => {
  it('is refused field by field, and the store keeps only what an honest node sends', async () => {
    await createService(manager.store, seededRng(4), serviceSpec({ replicas: 2 }));
    const tasks = await until('2 running tasks', () => (running().length === 2 ? running() : undefined));
    const client = new HostileDispatcher(target, grpc.credentials.createInsecure());
    const outcomes = await poisonDispatcher(client, { nodeId: 'n1', addr: '127.0.0.1', hostname: 'fake', ownTaskIds: tasks.map((t) => t.id) }).finally(() => client.close());

    expect(outcomes.filter((o) => !answered(o, o.expected))).toEqual([]);
    const said = (name: string) => outcomes.find((o) => o.name === name)?.details;
    expect(said('session: description null (JSON form)')).toBe('session refused: description is missing');
    expect(said('session: 5 MB hostname (typed)')).toBe(`session refused: description.hostname has ${5 * 1024 * 1024} characters (limit 253)`);
    expect(said('status: 7 MB message (typed)')).toMatch(/^task status refused: updates\[0\] \(task \w+\)\.status\.message has 7340032 characters \(limit 4096\)$/);
    expect(said('status: a state only the manager sets')).toContain('is "orphaned", not a state a node reports');
    expect(refusals.length).toBeGreaterThanOrEqual(outcomes.filter((o) => o.expected === 'refused').length);
    expect(refusals[0]).toContain('"nodeId":"n1"');

    const node = manager.store.view().get('nodes', 'n1')!;
    expect(node.description).toMatchObject({ hostname: 'fake', platform: { os: 'linux' } });
    for (const t of manager.store.view().list('tasks')) {
      expect(t.status.message.length).toBeLessThanOrEqual(WORKER_INPUT_LIMITS.statusMessageChars);
      expect(typeof t.status.timestamp).toBe('string');
    }
    expect(tasks.map((t) => manager.store.view().get('tasks', t.id)!.status.state)).toEqual(['running', 'running']);
    expect(JSON.stringify(manager.store.view().list('tasks')).length).toBeLessThan(64 * 1024);
  });

  it('leaves the honest agent working: it takes its session back and runs new tasks', async () => {
    await createService(manager.store, seededRng(5), { ...serviceSpec({ replicas: 2 }), annotations: { name: 'after', labels: {} } });
    await until('4 running tasks', () => (running().length === 4 ? true : undefined), 20_000);
    expect(manager.store.view().get('nodes', 'n1')).toMatchObject({ description: { hostname: 'fake', engineVersion: 'fake' }, status: { state: 'ready' } });
  });
});
