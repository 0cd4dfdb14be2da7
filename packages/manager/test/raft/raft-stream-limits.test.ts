import * as grpc from '@grpc/grpc-js';
import { message, type Message } from '@shoal/raft';
import { loadProtos } from '@shoal/common/rpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcTransport } from '../../src/raft/io/grpc-transport.js';
import { raftHandlers } from '../../src/raft/io/raft-service.js';
import { encodeMessage } from '../../src/raft/wire-codec.js';

/**
 * A peer holding a manager certificate opens Raft.Stream and never finishes a message: the
 * manager must cut that stream (naming the peer) instead of buffering until it runs out of memory,
 * and go on serving other streams. Real gRPC over loopback, without TLS (the peer is named by
 * `identify`).
 */

const MIB = 1024 * 1024;
const CHUNK = 'x'.repeat(512 * 1024);

interface Server {
  server: grpc.Server;
  addr: string;
  delivered: Message[];
  /** Resolves with the next message delivered. */
  nextDelivery(): Promise<Message>;
  logs: Array<{ msg: string; fields?: Record<string, unknown> }>;
}

async function startServer(
  limits?: { maxMessageBytes: number; maxReceiveBufferBytes: number },
  nodeOfRaftId?: (raftId: number) => string | undefined,
): Promise<Server> {
  const delivered: Message[] = [];
  const logs: Server['logs'] = [];
  let waiting: ((m: Message) => void) | undefined;
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 8 * MIB });
  server.addService(
    loadProtos().Raft.service,
    raftHandlers({
      deliver: (m) => {
        delivered.push(m);
        waiting?.(m);
      },
      join: async () => ({ raftId: 0, members: [] }),
      leave: async () => {},
      identify: () => 'node-attacker',
      log: (msg, fields) => logs.push({ msg, ...(fields ? { fields } : {}) }),
      ...(limits ? { limits } : {}),
      ...(nodeOfRaftId ? { nodeOfRaftId } : {}),
    }),
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const nextDelivery = () => new Promise<Message>((resolve) => (waiting = resolve));
  return { server, addr: `127.0.0.1:${port}`, delivered, nextDelivery, logs };
}

type StreamClient = { Stream(cb: (err: grpc.ServiceError | null) => void): grpc.ClientWritableStream<{ payload: string; more: boolean }> };

function client(addr: string): grpc.Client & StreamClient {
  const Raft = loadProtos().Raft;
  return new Raft(addr, grpc.credentials.createInsecure()) as unknown as grpc.Client & StreamClient;
}

/** Writes up to `chunks` chunks with more = true (respecting flow control), then ends; resolves with the call's status. */
async function sendEndless(addr: string, chunks: number): Promise<{ err: grpc.ServiceError | null; written: number }> {
  const c = client(addr);
  let status: grpc.ServiceError | null | undefined;
  const done = new Promise<grpc.ServiceError | null>((resolve) => {
    const stream = c.Stream((err) => {
      status = err;
      resolve(err);
    });
    stream.on('error', () => {});
    void (async () => {
      let written = 0;
      while (written < chunks && status === undefined) {
        written++;
        if (!stream.write({ payload: CHUNK, more: true })) await new Promise<void>((r) => stream.once('drain', r).once('close', r));
      }
      sent = written;
      stream.end();
    })();
  });
  let sent = 0;
  const err = await done;
  c.close();
  return { err, written: sent };
}

async function sendMessage(addr: string, m: Message): Promise<grpc.ServiceError | null> {
  const c = client(addr);
  const err = await new Promise<grpc.ServiceError | null>((resolve) => {
    const stream = c.Stream(resolve);
    stream.write({ payload: encodeMessage(m), more: false });
    stream.end();
  });
  c.close();
  return err;
}

describe('Raft.Stream bounds', () => {
  let s: Server;
  beforeAll(async () => {
    s = await startServer({ maxMessageBytes: 4 * MIB, maxReceiveBufferBytes: 8 * MIB });
  });
  afterAll(() => s.server.forceShutdown());

  it('cuts a stream whose message never ends, names the peer, and keeps serving', async () => {
    const { err } = await sendEndless(s.addr, 64); // 32 MiB, 8 times the limit
    expect(err?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(err?.details).toMatch(/raft stream from node node-attacker cut: a message exceeds the maximum Raft message size/);
    expect(s.logs).toContainEqual({ msg: 'raft stream from a peer cut', fields: expect.objectContaining({ peer: 'node-attacker' }) });
    const heartbeat = message({ type: 'MsgHeartbeat', from: 2, to: 1, term: 3 });
    expect(await sendMessage(s.addr, heartbeat)).toBeNull();
    expect(s.delivered).toContainEqual(heartbeat);
  });

  it('drops proposals from peers: only the leader proposes, for its own callers', async () => {
    const before = s.delivered.length;
    const prop = message({ type: 'MsgProp', from: 2, to: 1, entries: [{ term: 0, index: 0, type: 'normal', data: '{}' }] });
    expect(await sendMessage(s.addr, prop)).toBeNull();
    expect(s.delivered.length).toBe(before);
  });
});

describe('Raft.Stream senders and shapes', () => {
  // The attacker holds node-attacker's certificate; in the group it is raft member 2, node-1 is member 1.
  const members: Record<number, string> = { 1: 'node-1', 2: 'node-attacker' };
  let s: Server;
  beforeAll(async () => {
    s = await startServer(undefined, (raftId) => members[raftId]);
  });
  afterAll(() => s.server.forceShutdown());

  it('cuts a stream whose message claims another member\'s raft ID, naming the peer', async () => {
    const before = s.delivered.length;
    const err = await sendMessage(s.addr, message({ type: 'MsgVote', from: 1, to: 3, term: 99 }));
    expect(err?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(err?.details).toMatch(/raft stream from node node-attacker cut: a message signed as raft member 1 \(node node-1\)/);
    expect(s.delivered.length).toBe(before);
  });

  it('delivers a message signed with the caller\'s own raft ID, and drops one from an unknown raft ID', async () => {
    const own = message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: 4 });
    expect(await sendMessage(s.addr, own)).toBeNull();
    expect(s.delivered).toContainEqual(own);
    const before = s.delivered.length;
    expect(await sendMessage(s.addr, message({ type: 'MsgHeartbeatResp', from: 7, to: 1, term: 4 }))).toBeNull();
    expect(s.delivered.length).toBe(before);
  });

  it('drops messages of unknown types or with fields of the wrong type, which the core would assert on', async () => {
    const before = s.delivered.length;
    const good = JSON.parse(encodeMessage(message({ type: 'MsgApp', from: 2, to: 1, term: 5 }))) as Record<string, unknown>;
    for (const over of [{ type: 'MsgBogus' }, { term: -1 }, { index: 'x' }, { commit: 1.5 }, { reject: 'yes' }, { context: 'c'.repeat(5000) }, { entries: {} }]) {
      const c = client(s.addr);
      const err = await new Promise<grpc.ServiceError | null>((resolve) => {
        const stream = c.Stream(resolve);
        stream.write({ payload: JSON.stringify({ ...good, ...over }), more: false });
        stream.end();
      });
      c.close();
      expect(err).toBeNull();
    }
    expect(s.delivered.length).toBe(before);
  });
});

describe('snapshots through the transport and the service with the default limits', () => {
  let s: Server;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.server.forceShutdown());

  function transport(log: (msg: string) => void, sent: Array<boolean>, maxMessageBytes?: number): GrpcTransport {
    const t = new GrpcTransport({
      selfId: 1,
      clock: { now: () => 0 },
      credentials: () => grpc.credentials.createInsecure(),
      onUnreachable: () => {},
      onSnapshotSent: (_id, ok) => sent.push(ok),
      log,
      ...(maxMessageBytes ? { limits: { maxMessageBytes, maxPeerQueueBytes: maxMessageBytes } } : {}),
    });
    t.setMembers([{ raftId: 2, nodeId: 'b', addr: s.addr }]);
    return t;
  }

  it('delivers a 24 MiB snapshot whole (48 chunks, six times gRPC\'s default message limit)', async () => {
    const sent: boolean[] = [];
    const t = transport(() => {}, sent);
    const data = JSON.stringify({ blob: 'y'.repeat(24 * MIB) });
    const delivered = s.nextDelivery();
    t.send([message({ type: 'MsgSnap', from: 1, to: 2, term: 2, snapshot: { index: 50, term: 2, voters: [1, 2], learners: [], data } })]);
    const m = await delivered;
    t.close();
    expect(m.snapshot?.data).toBe(data);
    expect(sent).toEqual([true]);
  });

  it('refuses to send a snapshot over the message size, and says so', async () => {
    const sent: boolean[] = [];
    const logs: string[] = [];
    const t = transport((msg) => logs.push(msg), sent, MIB);
    t.send([message({ type: 'MsgSnap', from: 1, to: 2, term: 2, snapshot: { index: 50, term: 2, voters: [1, 2], learners: [], data: 'z'.repeat(2 * MIB) } })]);
    t.close();
    expect(sent).toEqual([false]);
    expect(logs[0]).toMatch(/larger than the maximum Raft message size \(raise --raft-max-message-size on every manager\)/);
  });
});
