import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { unavailable } from '@shoal/common';
import { routeToLeader, type LeaderRouterOptions } from '../../src/raft/io/leader-router.js';

type Callback = (err: unknown, res?: unknown) => void;
type Method = (call: unknown, callback: Callback) => void;
type Handler = grpc.handleUnaryCall<unknown, unknown>;

/** A call another manager forwarded here (it carries the forwarding mark). */
function forwardedCall() {
  const metadata = new grpc.Metadata();
  metadata.set('shoal-forwarded', '1');
  return { metadata, request: { id: 'n1' } };
}

function options(o: Pick<LeaderRouterOptions, 'isLeader' | 'leaderAddr'>): LeaderRouterOptions {
  return {
    ...o,
    credentials: () => grpc.credentials.createInsecure(),
    reads: new Set(),
    readBarrier: () => Promise.resolve(''),
    staleWarning: () => 'stale',
    noLeader: () => unavailable('no quorum'),
  };
}

function call(method: Method, c: unknown): Promise<{ err: unknown; res?: unknown }> {
  return new Promise((resolve) => method(c, (err, res) => resolve({ err, res })));
}

describe('routeToLeader, on the manager a call was forwarded to', () => {
  it('serves a forwarded write once its new leadership is usable, instead of refusing it', async () => {
    // Just elected: the other managers know it leads before it has applied an entry of its term.
    let leading = false;
    const routed = routeToLeader('Control', { UpdateNode: ((_c, cb) => cb(null, { ok: true })) as Handler }, options({
      isLeader: () => leading,
      leaderAddr: async () => {
        await new Promise((r) => setTimeout(r, 5));
        leading = true; // its first entry is applied
        return '127.0.0.1:1';
      },
    }));
    const { err, res } = await call(routed.UpdateNode as unknown as Method, forwardedCall());
    expect(err).toBeNull();
    expect(res).toEqual({ ok: true });
  });

  it('refuses a forwarded call when another manager leads (the caller retries there)', async () => {
    let ran = false;
    const routed = routeToLeader('Control', { UpdateNode: ((_c, cb) => { ran = true; cb(null, {}); }) as Handler }, options({
      isLeader: () => false,
      leaderAddr: () => Promise.resolve('127.0.0.1:2'),
    }));
    const { err } = await call(routed.UpdateNode as unknown as Method, forwardedCall());
    expect((err as grpc.ServiceError).code).toBe(grpc.status.UNAVAILABLE);
    expect((err as grpc.ServiceError).details).toMatch(/leader changed/);
    expect(ran).toBe(false);
  });
});
