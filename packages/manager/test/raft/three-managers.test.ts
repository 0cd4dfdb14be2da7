import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { seededRng } from '@shoal/common';
import { callUnary, CLUSTER_CHANNEL_OPTIONS, loadProtos, type ControlHandlers } from '@shoal/common/rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlHandlers } from '../../src/control/io/control-service.js';
import { Manager } from '../../src/io/manager.js';
import { raftHandlers } from '../../src/raft/io/raft-service.js';
import type { Member } from '../../src/raft/members.js';
import { cluster } from '../store/fixtures.js';

/**
 * Three managers in one process, as three shoald would run them: a real LevelDB log each, Raft
 * over loopback gRPC (no TLS: peers are not identified), fast election timing, and small snapshot
 * intervals so a manager that was down catches up from a snapshot. What an operator relies on:
 * acknowledged writes survive the loss of the leader, a restarted manager catches up, and a
 * minority refuses writes with an error that says why.
 */

const clock = { now: () => Date.now() };
const quiet = { info() {}, warn() {}, error() {} };
const TUNING = { timing: { tickMs: 20, electionTicks: 10, heartbeatTicks: 1 }, snapshotInterval: 8, keepTail: 2 };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

interface Slot {
  index: number;
  nodeId: string;
  raftId: number;
  dataDir: string;
  port: number;
  server?: grpc.Server;
  manager?: Manager;
  /** How many control calls this manager served itself (not forwarded). */
  servedLocally: number;
  fatal: unknown[];
}

let dir: string;
let slots: Slot[];
let members: Member[];

const addr = (s: Slot) => `127.0.0.1:${s.port}`;
const running = () => slots.filter((s) => s.manager);
const leaders = () => running().filter((s) => s.manager!.isLeader());

/**
 * The node-to-node server, bound before its manager exists (members need each other's addresses
 * before bootstrap): handlers reach the slot's current manager when a call arrives.
 */
async function bindServer(slot: Slot, port: number): Promise<number> {
  const protos = loadProtos();
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 8 * 1024 * 1024 });
  server.addService(
    protos.Raft.service,
    raftHandlers({
      deliver: (m) => slot.manager?.raft.deliver(m),
      join: () => Promise.reject(new Error('no joins in this test')),
      leave: () => Promise.reject(new Error('no leaves in this test')),
      identify: () => 'peer',
    }),
  );
  let control: ControlHandlers | undefined;
  let controlOf: Manager | undefined;
  const lazyControl: Record<string, grpc.handleUnaryCall<unknown, unknown>> = {};
  for (const method of Object.keys(protos.Control.service)) {
    lazyControl[method] = (call, cb) => {
      const m = slot.manager;
      if (!m) {
        cb({ code: grpc.status.UNAVAILABLE, details: 'manager down' });
        return;
      }
      if (controlOf !== m) {
        const local = controlHandlers(() => m.store, seededRng(100 + slot.index), () => 'unused');
        const counted: Record<string, unknown> = {};
        for (const [name, fn] of Object.entries(local)) {
          counted[name] = (c: unknown, done: unknown) => {
            slot.servedLocally++;
            (fn as (c: unknown, d: unknown) => void)(c, done);
          };
        }
        control = m.routeControl(counted as unknown as ControlHandlers);
        controlOf = m;
      }
      (control as unknown as Record<string, grpc.handleUnaryCall<unknown, unknown>>)[method]!(call, cb);
    };
  }
  server.addService(protos.Control.service, lazyControl);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  slot.server = server;
  return bound;
}

function openManager(slot: Slot): Promise<Manager> {
  return Manager.open({
    dataDir: slot.dataDir,
    nodeId: slot.nodeId,
    addr: addr(slot),
    clock,
    rng: seededRng(slot.raftId),
    log: quiet,
    credentials: () => grpc.credentials.createInsecure(),
    identify: () => 'peer',
    raft: TUNING,
    onFatal: (e) => slot.fatal.push(e),
  });
}

/** A crash as far as the others can tell: the manager stops and its port goes dark. */
async function stop(slot: Slot): Promise<void> {
  const m = slot.manager!;
  slot.manager = undefined;
  slot.server?.forceShutdown();
  slot.server = undefined;
  await m.close();
}

async function restart(slot: Slot): Promise<void> {
  await bindServer(slot, slot.port);
  const m = await openManager(slot);
  expect(m.isNew).toBe(false);
  slot.manager = m;
  m.start();
}

const clusterIds = (m: Manager) => m.store.view().list('clusters').map((c) => c.id).sort();
const tables = (m: Manager) => JSON.stringify(m.store.snapshot());

async function theLeader(exclude?: Slot): Promise<Slot> {
  return until('a single leader', () => {
    const ls = leaders();
    return ls.length === 1 && ls[0] !== exclude ? ls[0] : undefined;
  });
}

/** Writes through the leader, retrying while leadership settles (a retry is the documented answer). */
async function write(ids: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const leader = await theLeader();
    try {
      await Promise.all(ids.map((id) => leader.manager!.store.update((tx) => tx.create('clusters', cluster(id)))));
      return;
    } catch (e) {
      if (Date.now() > deadline || !/lost the leadership|not the raft leader/.test((e as Error).message)) throw e;
      await sleep(50);
    }
  }
}

/** The Raft log bounds a manager holds (private: read only to check which catch-up path ran). */
const raftLog = (m: Manager) => (m.raft as unknown as { storage: { firstIndex(): number; lastIndex(): number } }).storage;

const acknowledged: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoal-three-'));
  slots = [1, 2, 3].map((raftId, index) => ({ index, raftId, nodeId: `m${raftId}`, dataDir: join(dir, `m${raftId}`), port: 0, servedLocally: 0, fatal: [] }));
  for (const s of slots) s.port = await bindServer(s, 0);
  members = slots.map((s) => ({ raftId: s.raftId, nodeId: s.nodeId, addr: addr(s) }));
  for (const s of slots) {
    s.manager = await openManager(s);
    expect(s.manager.isNew).toBe(true);
  }
  await Promise.all(slots.map((s) => s.manager!.bootstrapGroup(s.raftId, members)));
}, 30_000);

afterAll(async () => {
  for (const s of slots ?? []) if (s.manager) await stop(s);
  for (const s of slots ?? []) s.server?.forceShutdown();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

describe('three managers over loopback gRPC', () => {
  it('elect one leader, whose writes are applied on all three stores', async () => {
    const leader = await theLeader();
    const ids = Array.from({ length: 12 }, (_, i) => `a${i}`);
    await write(ids);
    acknowledged.push(...ids);
    for (const s of slots) {
      await until(`${s.nodeId} to apply the writes`, () => clusterIds(s.manager!).length === ids.length);
      expect(clusterIds(s.manager!)).toEqual([...ids].sort());
    }
    await until('identical stores', () => slots.every((s) => tables(s.manager!) === tables(leader.manager!)));
    // A write on a follower's store is refused (followers forward control calls instead).
    const follower = slots.find((s) => s !== leader)!;
    await expect(follower.manager!.store.update((tx) => tx.create('clusters', cluster('nope')))).rejects.toThrow();
  }, 30_000);

  it('forwards a control call made on a follower to the leader', async () => {
    const leader = await theLeader();
    const follower = slots.find((s) => s !== leader)!;
    const before = { leader: leader.servedLocally, follower: follower.servedLocally };
    const Control = loadProtos().Control as unknown as new (a: string, c: grpc.ChannelCredentials, o: object) => grpc.Client & {
      ListServices(req: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: unknown) => void): void;
    };
    const client = new Control(addr(follower), grpc.credentials.createInsecure(), CLUSTER_CHANNEL_OPTIONS);
    try {
      await callUnary((o, cb) => client.ListServices({ filters: {} }, o, cb), addr(follower), 10_000);
    } finally {
      client.close();
    }
    expect(leader.servedLocally).toBe(before.leader + 1);
    expect(follower.servedLocally).toBe(before.follower);
  }, 30_000);

  let crashed: Slot;
  let crashedLastIndex: number;

  it('after the leader crashes, another manager leads, has every acknowledged write, and accepts writes', async () => {
    crashed = await theLeader();
    crashedLastIndex = raftLog(crashed.manager!).lastIndex();
    await stop(crashed);
    const next = await theLeader(crashed);
    expect(next).not.toBe(crashed);
    // One write at a time: one entry each, enough for the leader to snapshot and compact the log
    // past what the crashed manager holds.
    const ids = Array.from({ length: 20 }, (_, i) => `b${i}`);
    for (const id of ids) await write([id]);
    for (const id of acknowledged) expect(next.manager!.store.view().get('clusters', id), `acknowledged write ${id}`).toBeDefined();
    acknowledged.push(...ids);
    expect(clusterIds(next.manager!)).toEqual([...acknowledged].sort());
    const other = running().find((s) => s !== next)!;
    await until('the other survivor to apply the writes', () => tables(other.manager!) === tables(next.manager!));
  }, 30_000);

  it('the crashed manager restarts from its data directory and catches up (from a snapshot)', async () => {
    await restart(crashed);
    const leader = await theLeader();
    expect(raftLog(leader.manager!).firstIndex(), 'the leader no longer holds the entries the crashed manager lacks').toBeGreaterThan(crashedLastIndex + 1);
    await until('the restarted manager to catch up', () => tables(crashed.manager!) === tables(leader.manager!));
    expect(clusterIds(crashed.manager!)).toEqual([...acknowledged].sort());
    // It takes part again: a new write reaches it.
    await write(['c0']);
    acknowledged.push('c0');
    await until('the restarted manager to apply a new write', () => crashed.manager!.store.view().get('clusters', 'c0') !== undefined);
  }, 30_000);

  it('a follower restarted twice, with snapshots taken in between, starts again', async () => {
    // Every manager snapshots each 8 entries and keeps a tail of 2: restarts happen between snapshots.
    const sequential = async (prefix: string) => {
      for (let i = 0; i < 20; i++) {
        await write([`${prefix}${i}`]);
        acknowledged.push(`${prefix}${i}`);
      }
    };
    await sequential('e');
    const follower = slots.find((s) => s.manager && !s.manager.isLeader())!;
    await until('the follower to apply the writes', () => clusterIds(follower.manager!).length === acknowledged.length);
    await stop(follower);
    await restart(follower);
    await sequential('f');
    await until('the follower to apply the writes', () => clusterIds(follower.manager!).length === acknowledged.length);
    await stop(follower);
    await restart(follower);
    const leader = await theLeader();
    await until('the follower to catch up', () => tables(follower.manager!) === tables(leader.manager!));
  }, 40_000);

  it('with two of three managers down, a write on the survivor fails: no quorum', async () => {
    // The leader survives (the harder case: it accepted the proposal, then cannot commit it).
    const survivor = await theLeader();
    for (const s of running().filter((x) => x !== survivor)) await stop(s);
    const messages: string[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const error = await survivor.manager!.store.update((tx) => tx.create('clusters', cluster(`d${messages.length}`))).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error, 'a write without quorum must not be acknowledged').toBeDefined();
      messages.push(error!.message);
      expect(error!.message).toMatch(/no quorum: \d of 3 managers reachable|lost the leadership/);
      if (/no quorum: 1 of 3 managers reachable/.test(error!.message)) break;
      await sleep(500);
    }
    expect(messages.at(-1)).toMatch(/no quorum: 1 of 3 managers reachable/);
    expect(survivor.manager!.isLeader()).toBe(false);
  }, 40_000);

  it('the lone survivor holds exactly the acknowledged writes, and no manager hit a fatal error', async () => {
    const survivor = running()[0]!;
    expect(clusterIds(survivor.manager!)).toEqual([...acknowledged].sort());
    for (const s of slots) expect(s.fatal.map(String), s.nodeId).toEqual([]);
  });
});
