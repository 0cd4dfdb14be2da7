import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
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
});
