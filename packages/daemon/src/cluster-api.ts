import * as grpc from '@grpc/grpc-js';
import { loadProtos, type DispatcherHandlers, type NodeCAHandlers } from '@shoal/common/rpc';

/**
 * The node-to-node API on --listen-addr, over TLS with this manager's certificate: the CA (open to
 * joining nodes) and the dispatcher (mutual TLS: callers are checked against their certificate).
 * The Raft transport arrives with the Raft issue.
 */
export async function serveClusterApi(
  listenAddr: string,
  credentials: grpc.ServerCredentials,
  services: { dispatcher: DispatcherHandlers; nodeCA?: NodeCAHandlers },
): Promise<{ server: grpc.Server; port: number }> {
  const protos = loadProtos();
  const server = new grpc.Server({ 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_permit_without_calls': 1 });
  server.addService(protos.Dispatcher.service, services.dispatcher);
  if (services.nodeCA) server.addService(protos.NodeCA.service, services.nodeCA);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(listenAddr, credentials, (err, p) => (err ? reject(new Error(`cannot listen on ${listenAddr}: ${err.message}`)) : resolve(p))),
  );
  return { server, port };
}
