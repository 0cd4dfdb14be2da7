import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRng, type IngressTable, type NetworkTable, type Service, type Task } from '@shoal/common';
import type { AssignmentsMessage, DispatcherHandlers } from '@shoal/common/rpc';
import { Dispatcher } from '../../src/dispatcher/io/dispatcher-service.js';
import type { Store } from '../../src/store/types.js';
import { localStore } from '../scheduler/fixtures.js';
import { createAll, netService, netTask, network, node } from './network-fixtures.js';

/** A server stream as grpc-js hands it to a handler: request, write, end, events. */
class FakeStream extends EventEmitter {
  readonly messages: AssignmentsMessage[] = [];
  /** performance.now() of each write. */
  readonly times: number[] = [];
  constructor(
    readonly request: { nodeId: string; sessionId?: string },
    readonly caller: string,
  ) {
    super();
  }
  write(m: AssignmentsMessage): boolean {
    this.messages.push(m);
    this.times.push(performance.now());
    return true;
  }
  end(): void {}
  getAuthContext() {
    return {};
  }
  /** The tables this stream was sent, parsed. */
  tables(): NetworkTable[] {
    return this.messages.filter((m) => m.networksJson).map((m) => JSON.parse(m.networksJson!) as NetworkTable);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

let dispatcher: Dispatcher | undefined;
afterEach(() => dispatcher?.stop());

function start(store: Store, clock: { now(): number }) {
  dispatcher = new Dispatcher({ store, clock, rng: seededRng(1), heartbeatPeriodMs: 60_000, managers: () => [], log: () => {}, identify: (call) => (call as unknown as FakeStream).caller });
  return dispatcher.handlers();
}

/** Opens a session and an assignment stream for a node, as its agent does. */
async function connect(h: DispatcherHandlers, nodeId: string, store: Store): Promise<{ stream: FakeStream; sessionId: string }> {
  const addr = store.view().get('nodes', nodeId)!.status.addr;
  const session = new FakeStream({ nodeId, ...{ addr, description: { hostname: nodeId, platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 1, memoryBytes: 1 }, engineVersion: '', engineLabels: {} } } } as never, nodeId);
  h.Session(session as never);
  await until('session', () => session.messages.length > 0);
  const sessionId = (session.messages[0] as unknown as { sessionId: string }).sessionId;
  const stream = new FakeStream({ nodeId, sessionId }, nodeId);
  h.Assignments(stream as never);
  return { stream, sessionId };
}

function report(h: DispatcherHandlers, nodeId: string, sessionId: string, task: Task, status: Record<string, unknown>): Promise<void> {
  const call = { request: { nodeId, sessionId, updates: [{ taskId: task.id, status: { ...task.status, message: 'm', err: '', containerId: '', containerIp: '', health: '', ...status } }] }, caller: nodeId, getAuthContext: () => ({}) };
  return new Promise((resolve, reject) => h.UpdateTaskStatus(call as never, (err) => (err ? reject(new Error(err.details)) : resolve())));
}

const NET = network('N1', { name: 'app_back' });

async function twoNodes(o: { healthcheck?: string[] } = {}) {
  const { store, clock } = localStore(Date.UTC(2026, 11, 7));
  const back = netService('S1', { name: 'app_back', on: { app_back: { networkId: 'N1', vip: '10.0.1.2/24' } }, ...(o.healthcheck ? { healthcheck: o.healthcheck } : {}) });
  const front = netService('S2', { name: 'app_front', on: { app_back: { networkId: 'N1', vip: '10.0.1.3/24' } } });
  const tA = netTask('TA', { service: back, nodeId: 'nA', addresses: { N1: '10.0.1.10/24' }, ...(o.healthcheck ? { health: 'healthy' as const } : {}) });
  const tB = netTask('TB', { service: front, nodeId: 'nB', addresses: { N1: '10.0.1.11/24' } });
  await store.update((tx) => createAll(tx, { networks: [NET], nodes: [node('nA', '10.99.0.11:2377'), node('nB', '10.99.0.12:2377')], services: [back, front], tasks: [tA, tB] }));
  return { store, clock, tA };
}

const servingOf = (t: NetworkTable | undefined, taskId: string) => t?.networks[0]?.endpoints.find((e) => e.taskId === taskId)?.serving;

describe('the NetworkTable push', () => {
  it('sends the whole table first, then a task that stops on node A leaves node B’s table at once', async () => {
    const { store, clock, tA } = await twoNodes();
    const h = start(store, clock);
    const a = await connect(h, 'nA', store);
    const b = await connect(h, 'nB', store);
    await until('first tables', () => b.stream.tables().length === 1 && a.stream.tables().length === 1);
    expect(b.stream.messages[0]!.type).toBe('COMPLETE');
    expect(b.stream.tables()[0]!.networks[0]!.endpoints.map((e) => e.taskId)).toEqual(['TA', 'TB']);

    await report(h, 'nA', a.sessionId, tA, { state: 'failed', err: 'boom', exitCode: 1 });
    // How fast is bench:network's figure; here only that it arrives, in one incremental message.
    await until('B’s table without TA', () => b.stream.tables().at(-1)!.networks[0]!.endpoints.every((e) => e.taskId !== 'TA'));
    const last = b.stream.messages.at(-1)!;
    expect(last).toMatchObject({ type: 'INCREMENTAL', tasksJson: [], removedTaskIds: [], ingressJson: '' });
  });

  it('carries health: an unhealthy report on A makes the endpoint stop serving in B’s table, a healthy one brings it back', async () => {
    const { store, clock, tA } = await twoNodes({ healthcheck: ['CMD', 'true'] });
    const h = start(store, clock);
    const a = await connect(h, 'nA', store);
    const b = await connect(h, 'nB', store);
    await until('first table', () => b.stream.tables().length === 1);
    expect(servingOf(b.stream.tables()[0], 'TA')).toBe(true);

    await report(h, 'nA', a.sessionId, tA, { state: 'running', health: 'unhealthy' });
    expect(store.view().get('tasks', 'TA')!.status.health).toBe('unhealthy');
    await until('TA not serving', () => servingOf(b.stream.tables().at(-1), 'TA') === false);
    await report(h, 'nA', a.sessionId, tA, { state: 'running', health: 'healthy' });
    await until('TA serving again', () => servingOf(b.stream.tables().at(-1), 'TA') === true);
    await expect(report(h, 'nA', a.sessionId, tA, { state: 'running', health: 'sick' })).rejects.toThrow('health is "sick"');
  });

  it('sends nothing to a node whose networks a change does not touch', async () => {
    const { store, clock, tA } = await twoNodes();
    await store.update((tx) => tx.create('nodes', node('nC', '10.99.0.13:2377')));
    const h = start(store, clock);
    const a = await connect(h, 'nA', store);
    const c = await connect(h, 'nC', store);
    await until('first table', () => c.stream.messages.length === 1);
    expect(c.stream.tables()).toEqual([{ networks: [] }]);
    await report(h, 'nA', a.sessionId, tA, { state: 'failed', err: 'boom', exitCode: 1 });
    await sleep(100);
    expect(c.stream.messages).toHaveLength(1);
  });

  it('costs one wake per node and change: 40 nodes, 1,000 services on one network, a burst of 50 stops', async () => {
    const { store, clock } = localStore(Date.UTC(2026, 11, 7));
    const NODES = 40;
    const services: Service[] = [];
    const tasks: Task[] = [];
    for (let i = 0; i < 1_000; i++) {
      const s = netService(`S${i}`, { name: `app_s${i}`, on: { app_back: { networkId: 'N1', vip: `10.0.${4 + (i >> 8)}.${i & 255}/16` } } });
      services.push(s);
      for (let r = 0; r < 2; r++) tasks.push(netTask(`T${i}.${r}`, { service: s, nodeId: `n${(2 * i + r) % NODES}`, addresses: { N1: `10.0.${16 + ((2 * i + r) >> 8)}.${(2 * i + r) & 255}/16` } }));
    }
    const nodes = Array.from({ length: NODES }, (_, i) => node(`n${i}`, `10.99.1.${i}:2377`));
    await store.update((tx) => createAll(tx, { networks: [network('N1', { name: 'app_back', subnet: '10.0.0.0/16' })], nodes, services, tasks }));
    const h = start(store, clock);
    const streams: FakeStream[] = [];
    for (let i = 0; i < NODES; i++) streams.push((await connect(h, `n${i}`, store)).stream);
    await until('first tables', () => streams.every((s) => s.messages.length === 1));
    const bytes = streams[0]!.messages[0]!.networksJson!.length;

    const stats = dispatcher!.networkPush.stats;
    const before = { ...stats };
    const t0 = performance.now();
    // One task stopped per entry, as status batches of different nodes arrive.
    for (let k = 0; k < 50; k++) {
      const t = store.view().get('tasks', `T${k}.0`)!;
      await store.update((tx) => tx.update('tasks', { ...t, desiredState: 'shutdown' }));
    }
    const writeMs = performance.now() - t0;
    const stopped = (s: FakeStream) => s.tables().at(-1)!.networks[0]!.endpoints.filter((e) => !e.serving).length === 50;
    await until('every node sees 50 stopped', () => streams.every((s) => s.messages.length > 1) && streams.every(stopped));
    const ms = Math.max(...streams.map((s) => s.times.at(-1)!)) - t0;
    const rounds = stats.rounds - before.rounds;
    const messages = streams.map((s) => s.messages.length - 1);
    console.log(`network push: ${NODES} nodes, 2,000 endpoints/1,000 services, table ${bytes} bytes; 50 stops in ${writeMs.toFixed(0)} ms → every node current after ${ms.toFixed(0)} ms, ${rounds} wake rounds, ${stats.wakes - before.wakes} wakes, messages per node max ${Math.max(...messages)}`);
    // Own-task changes wake a node at once too; shared changes coalesce into few rounds.
    expect(rounds).toBeLessThanOrEqual(Math.ceil(writeMs / 20) + 2);
    expect(Math.max(...messages)).toBeLessThanOrEqual(rounds + 4);
  });
});

describe('the IngressTable push (routing mesh)', () => {
  async function meshCluster() {
    const { store, clock } = localStore(Date.UTC(2026, 11, 7));
    const ingress = network('I', { name: 'ingress', subnet: '10.0.0.0/24', vxlanId: 0x400000 });
    ingress.spec.ingress = true;
    const web = netService('SW', { name: 'web', on: {}, healthcheck: ['CMD', 'true'] });
    web.spec.endpoint.ports = [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }];
    const tw = netTask('TW', { service: web, nodeId: 'nB', addresses: { I: '10.0.0.9/24' }, health: 'starting' });
    tw.endpointPorts = structuredClone(web.spec.endpoint.ports);
    const meshNode = (id: string, addr: string, at: string) => ({ ...node(id, addr), ingress: { networkId: 'I', address: `${at}/24` } });
    await store.update((tx) => createAll(tx, { networks: [ingress], nodes: [meshNode('nA', '10.99.0.11:2377', '10.0.0.2'), meshNode('nB', '10.99.0.12:2377', '10.0.0.3')], services: [web], tasks: [tw] }));
    return { store, clock, tw, meshNode };
  }
  const ingressOf = (s: FakeStream) => s.messages.filter((m) => m.ingressJson).map((m) => JSON.parse(m.ingressJson!) as IngressTable);

  it('sends every node the cluster-wide ports with its own address; a task turning healthy elsewhere reaches it; a new node joins every table', async () => {
    const { store, clock, tw, meshNode } = await meshCluster();
    const h = start(store, clock);
    const a = await connect(h, 'nA', store);
    const b = await connect(h, 'nB', store);
    await until('first ingress tables', () => ingressOf(a.stream).length === 1 && ingressOf(b.stream).length === 1);
    expect(ingressOf(a.stream)[0]).toEqual({ network: { id: 'I', subnet: '10.0.0.0/24', gateway: '10.0.0.1', nodeAddress: '10.0.0.2' }, ports: [{ publishedPort: 8080, protocol: 'tcp', serviceId: 'SW', backends: [] }] });
    expect(ingressOf(b.stream)[0]!.network!.nodeAddress).toBe('10.0.0.3');
    // Every node has the ingress network, with both nodes, though only B runs a task.
    expect(a.stream.tables()[0]!.networks.map((n) => [n.name, n.ingress, n.nodes!.map((x) => x.address)])).toEqual([['ingress', true, ['10.0.0.2', '10.0.0.3']]]);

    await report(h, 'nB', b.sessionId, tw, { state: 'running', health: 'healthy' });
    await until('A routes 8080 to TW on B', () => ingressOf(a.stream).at(-1)!.ports[0]!.backends.length === 1);
    expect(ingressOf(a.stream).at(-1)!.ports[0]!.backends).toEqual([{ ip: '10.0.0.9', port: 80, taskId: 'TW' }]);

    await store.update((tx) => tx.create('nodes', meshNode('nC', '10.99.0.13:2377', '10.0.0.4')));
    await until('A’s ingress network lists C', () => a.stream.tables().at(-1)!.networks[0]!.nodes!.some((x) => x.nodeId === 'nC'));
    expect(a.stream.tables().at(-1)!.networks[0]!.nodes!.find((x) => x.nodeId === 'nC')).toEqual({ nodeId: 'nC', address: '10.0.0.4', nodeAddr: '10.99.0.13' });
  });
});
