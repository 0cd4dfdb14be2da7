import * as grpc from '@grpc/grpc-js';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { message } from '@shoal/raft';
import { GrpcTransport } from '../../src/raft/io/grpc-transport.js';

/** What the transport remembers about peers is bounded by the members, not by what peers claim. */
describe('GrpcTransport', () => {
  it('remembers when it heard from members only: a peer naming made-up senders grows nothing', () => {
    const t = new GrpcTransport({
      selfId: 1,
      clock: { now: () => 1_000 },
      credentials: () => grpc.credentials.createInsecure(),
      onUnreachable: () => {},
      onSnapshotSent: () => {},
      log: () => {},
    });
    for (let id = 100; id < 200; id++) t.received(id);
    expect(t.lastHeard(150)).toBeUndefined();
    t.close();
  });

  it('reports a peer whose address refuses connections as gone (its process is dead), not just unreachable', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const reports: { id: number; refused: boolean }[] = [];
    const t = new GrpcTransport({
      selfId: 1,
      clock: { now: () => 1_000 },
      credentials: () => grpc.credentials.createInsecure(),
      onUnreachable: (id, refused) => reports.push({ id, refused }),
      onSnapshotSent: () => {},
      log: () => {},
    });
    t.setMembers([{ raftId: 2, nodeId: 'n2', addr: `127.0.0.1:${port}` }]);
    t.send([message({ type: 'MsgHeartbeatResp', from: 1, to: 2, term: 1 })]);
    for (let i = 0; i < 100 && reports.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    t.close();
    expect(reports[0]).toEqual({ id: 2, refused: true });
  });
});
