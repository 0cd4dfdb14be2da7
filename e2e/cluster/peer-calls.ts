import * as grpc from '@grpc/grpc-js';
import { CLUSTER_CHANNEL_OPTIONS, loadProtos } from '@shoal/common/rpc';
import { nodeClientCredentials } from '../../packages/daemon/src/tls/credentials.js';
import type { NodeCerts } from '../../packages/daemon/src/tls/node-certs.js';

/** What a call on the node-to-node port came back with: a gRPC status code and its details. */
export interface Outcome {
  code: number;
  details: string;
}

type Cb = (e: grpc.ServiceError | null, r?: unknown) => void;
type AnyClient = grpc.Client & Record<string, (...args: unknown[]) => grpc.ClientReadableStream<unknown> & grpc.ClientWritableStream<unknown>>;

/**
 * Calls `service.method` on a node's port as the node whose certificate is given, as a peer
 * (or a hostile former peer) would: unary, client-streaming (Raft.Stream) and server-streaming
 * (Dispatcher.Session) calls alike; a stream that sends its first message counts as served.
 */
export function callAs(certs: NodeCerts, addr: string, service: 'Control' | 'NodeCA' | 'Raft' | 'Dispatcher', method: string, request: object = {}): Promise<Outcome> {
  const Ctor = loadProtos()[service] as unknown as new (a: string, c: grpc.ChannelCredentials, o: object) => AnyClient;
  const client = new Ctor(addr, nodeClientCredentials(certs), CLUSTER_CHANNEL_OPTIONS);
  const def = (loadProtos()[service] as unknown as { service: Record<string, { requestStream: boolean; responseStream: boolean }> }).service[method]!;
  const opts = { deadline: Date.now() + 10_000 };
  return new Promise<Outcome>((resolve) => {
    const done = (o: Outcome) => {
      client.close();
      resolve(o);
    };
    const cb: Cb = (err) => done({ code: err ? err.code : grpc.status.OK, details: err?.details ?? '' });
    if (def.requestStream) {
      const stream = client[method]!(opts, cb);
      stream.write(request);
      stream.end();
    } else if (def.responseStream) {
      const stream = client[method]!(request, opts);
      stream.on('data', () => {
        stream.cancel();
        done({ code: grpc.status.OK, details: '' });
      });
      stream.on('error', (e: grpc.ServiceError) => done({ code: e.code, details: e.details }));
      stream.on('end', () => done({ code: grpc.status.OK, details: '' }));
    } else {
      client[method]!(request, opts, cb);
    }
  });
}
