import * as grpc from '@grpc/grpc-js';
import { loadProtos, type DispatcherHandlers } from '@shoal/common/rpc';

/**
 * The node-to-node API on --listen-addr: the dispatcher for worker agents. Mutual TLS and the
 * Raft transport arrive with the many-nodes and Raft issues.
 */
export async function serveClusterApi(listenAddr: string, dispatcher: DispatcherHandlers): Promise<{ server: grpc.Server; port: number }> {
  const protos = loadProtos();
  const server = new grpc.Server({ 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_permit_without_calls': 1 });
  server.addService(protos.Dispatcher.service, dispatcher);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(listenAddr, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(new Error(`cannot listen on ${listenAddr}: ${err.message}`)) : resolve(port))),
  );
  return { server, port };
}
