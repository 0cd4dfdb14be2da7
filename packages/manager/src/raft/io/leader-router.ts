import * as grpc from '@grpc/grpc-js';
import { CLUSTER_CHANNEL_OPTIONS, loadProtos, toServiceError } from '@shoal/common/rpc';
import { unavailable, type ShoalError } from '@shoal/common';

const FORWARDED = 'shoal-forwarded';
const LEADER_CHANGED = 'the leader changed while the call was forwarded; retry';
/** How long a call waits for a new leader when the one it was forwarded to cannot be reached. */
const FORWARD_PATIENCE_MS = 5_000;

export interface LeaderRouterOptions {
  /** This manager leads (and its store is current). */
  isLeader: () => boolean;
  /**
   * The leader's node-to-node address, waiting a little for an election (or, given `unlike`, an
   * address that could not be reached, for the leadership to move); undefined when none.
   */
  leaderAddr: (unlike?: string) => Promise<string | undefined>;
  credentials: () => grpc.ChannelCredentials;
  /** Methods that only read: on a manager without a leader they answer from the local state, marked. */
  reads: ReadonlySet<string>;
  /** Leader only, before a read: confirms leadership (ReadIndex). Resolves to a warning if it could not. */
  readBarrier: () => Promise<string>;
  /**
   * Methods every manager serves itself, never forwarded: they write nothing, and the caller's
   * identity matters (a forwarded call would carry this manager's certificate instead).
   */
  local?: ReadonlySet<string>;
  /** The warning for a read served locally with no leader (no quorum). */
  staleWarning: () => string;
  noLeader: () => ShoalError;
}

type Handler = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => void;
type AnyClient = Record<string, (req: unknown, md: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: unknown) => void) => void> & grpc.Client;

/**
 * Wraps a unary service so any manager can serve it: the leader runs the call itself (reads
 * after a ReadIndex round, so they see every acknowledged write); a follower forwards it to the
 * leader over mutual TLS; with no leader, writes fail with "no quorum" and reads answer from the
 * last known state with a warning that it may be stale.
 */
export function routeToLeader<H extends grpc.UntypedServiceImplementation>(service: 'Control' | 'NodeCA', local: H, o: LeaderRouterOptions): H {
  const clients = new Map<string, AnyClient>();
  const clientFor = (addr: string): AnyClient => {
    let c = clients.get(addr);
    if (!c) {
      const Ctor = loadProtos()[service] as unknown as new (addr: string, creds: grpc.ChannelCredentials, opts: object) => AnyClient;
      c = new Ctor(addr, o.credentials(), CLUSTER_CHANNEL_OPTIONS);
      clients.set(addr, c);
    }
    return c;
  };
  const routed: Record<string, Handler> = {};
  for (const [method, fn] of Object.entries(local)) {
    const handler = fn as Handler;
    if (o.local?.has(method)) {
      routed[method] = handler;
      continue;
    }
    routed[method] = (call, callback) => {
      void route(method, handler, call, callback).catch((e: unknown) => callback(toServiceError(e)));
    };
  }

  async function route(method: string, handler: Handler, call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>): Promise<void> {
    const isRead = o.reads.has(method);
    const deadline = Date.now() + FORWARD_PATIENCE_MS;
    let unreachable: string | undefined;
    for (;;) {
      if (o.isLeader()) {
        const warning = isRead ? await o.readBarrier() : '';
        handler(call, withWarning(callback, warning));
        return;
      }
      if (call.metadata.get(FORWARDED).length > 0) {
        // A manager that has just won an election is known as the leader before it has applied
        // an entry of its term (and may serve calls): wait for that, or for news of another leader.
        await o.leaderAddr();
        if (o.isLeader()) continue;
        throw unavailable(LEADER_CHANGED);
      }
      const addr = await o.leaderAddr(unreachable);
      if (o.isLeader()) continue;
      if (addr === undefined) {
        if (!isRead) throw o.noLeader();
        handler(call, withWarning(callback, o.staleWarning()));
        return;
      }
      const outcome = await forward(addr, method, call.request);
      // The leader we knew is gone (killed, cut off): wait for the next one, or for "no quorum".
      if (outcome.unreachable && Date.now() < deadline) {
        unreachable = addr;
        continue;
      }
      callback(outcome.unreachable ? toServiceError(unavailable(`cannot reach the leader at ${addr}: ${outcome.err?.details}`)) : outcome.err, outcome.res);
      return;
    }
  }

  function forward(addr: string, method: string, request: unknown): Promise<{ err: grpc.ServiceError | null; res?: unknown; unreachable: boolean }> {
    const md = new grpc.Metadata();
    md.set(FORWARDED, '1');
    return new Promise((resolve) => {
      clientFor(addr)[method]!(request, md, { deadline: Date.now() + 30_000 }, (err, res) => {
        // Unreachable, or it was no longer the leader (it refused the call without running it).
        const unreachable =
          err?.code === grpc.status.UNAVAILABLE && (!err.metadata?.get('shoal-error-code').length || err.details === LEADER_CHANGED);
        resolve({ err, res, unreachable });
      });
    });
  }
  return routed as unknown as H;
}

function withWarning(callback: grpc.sendUnaryData<unknown>, warning: string): grpc.sendUnaryData<unknown> {
  if (!warning) return callback;
  return (err, res) => callback(err, res && typeof res === 'object' ? { ...res, warning } : res);
}
