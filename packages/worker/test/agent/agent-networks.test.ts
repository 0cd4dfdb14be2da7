import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkTable } from '@shoal/common';
import { loadProtos, type AssignmentsMessage } from '@shoal/common/rpc';
import { Agent } from '../../src/agent/io/agent.js';
import { FakeRuntime } from '../../src/executor/fake/fake-runtime.js';
import type { NetworkConsumer } from '../../src/agent/network-feed.js';

const quiet = { info() {}, warn() {}, debug() {} };
const table = (name: string): NetworkTable => ({ networks: [{ id: name, name, allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: 1 }, internal: false, attachable: false, driverOpts: {}, services: [], endpoints: [] }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A dispatcher that opens sessions and lets the test write assignment messages. */
async function fakeDispatcher() {
  const server = new grpc.Server();
  const streams: grpc.ServerWritableStream<unknown, AssignmentsMessage>[] = [];
  const sessions: grpc.ServerWritableStream<unknown, unknown>[] = [];
  server.addService(loadProtos().Dispatcher.service, {
    Session: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      sessions.push(call);
      call.write({ sessionId: `s${sessions.length}`, heartbeatPeriodMs: 60_000, managers: [] });
    },
    Heartbeat: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { periodMs: 60_000, role: 'worker' }),
    Assignments: (call: grpc.ServerWritableStream<unknown, AssignmentsMessage>) => void streams.push(call),
    UpdateTaskStatus: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, {}),
    ReportHostPorts: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, {}),
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { addr: `127.0.0.1:${port}`, streams, sessions, close: () => server.forceShutdown() };
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe('the agent and its network consumers', () => {
  it('hands each table to every consumer, ignores "" and bad JSON, and keeps the table through a lost session', async () => {
    const d = await fakeDispatcher();
    cleanup.push(d.close);
    const seen: string[][] = [[], []];
    const consumers: NetworkConsumer[] = [0, 1].map((i) => ({ apply: async (t) => void seen[i]!.push(t.networks.map((n) => n.name).join(',') || '(none)') }));
    const agent = new Agent({
      nodeId: 'n1', managers: [d.addr], addr: '127.0.0.1', description: { hostname: 'h', platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 1, memoryBytes: 1 }, engineVersion: '', engineLabels: {} },
      executor: new FakeRuntime(), clock: { now: () => Date.now() }, log: quiet, credentials: () => grpc.credentials.createInsecure(),
      ingress: { apply: async () => {}, removeAll: async () => {} }, networkConsumers: consumers,
    });
    await agent.start();
    cleanup.push(() => agent.stop({ cleanup: false }));
    await until('the assignment stream', () => d.streams.length === 1);
    const send = (networksJson: string, s = d.streams.at(-1)!) => s.write({ type: 'INCREMENTAL', tasksJson: [], removedTaskIds: [], ingressJson: '', networksJson });
    d.streams[0]!.write({ type: 'COMPLETE', tasksJson: [], removedTaskIds: [], ingressJson: '', networksJson: JSON.stringify(table('a')) });
    await until('table a', () => seen[1]!.length === 1);
    send('');
    send('{not json');
    send(JSON.stringify(table('b')));
    await until('table b', () => seen[0]!.length === 2 && seen[1]!.length === 2);
    expect(seen).toEqual([['a', 'b'], ['a', 'b']]);

    // The manager goes away: nothing is taken down; a new session's table replaces the old one.
    d.sessions[0]!.end();
    await until('a new stream', () => d.streams.length === 2, 10_000);
    expect(seen).toEqual([['a', 'b'], ['a', 'b']]);
    d.streams[1]!.write({ type: 'COMPLETE', tasksJson: [], removedTaskIds: [], ingressJson: '', networksJson: JSON.stringify({ networks: [] }) });
    await until('the empty table', () => seen[0]!.length === 3);
    expect(seen[0]).toEqual(['a', 'b', '(none)']);
  }, 20_000);
});
