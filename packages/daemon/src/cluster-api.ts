import * as grpc from '@grpc/grpc-js';
import { loadProtos, type ControlHandlers, type DispatcherHandlers, type NodeCAHandlers, type RaftHandlers } from '@shoal/common/rpc';
import type { ConnectionLimits } from '@shoal/manager';
import { shutdownServer } from './local-api.js';
import type { NodeCerts } from './tls/node-certs.js';
import { listenTlsFront, type TlsFront } from './tls/tls-front.js';

export interface ClusterServices {
  dispatcher: DispatcherHandlers;
  nodeCA?: NodeCAHandlers;
  raft?: RaftHandlers;
  control?: ControlHandlers;
}

/** The node's own TLS, with the bounds on connections; or gRPC credentials as they are (loopback tests). */
export type ClusterTransport = { certs: NodeCerts; limits: ConnectionLimits; log: (msg: string, fields: Record<string, unknown>) => void } | grpc.ServerCredentials;

export interface ClusterApi {
  server: grpc.Server;
  port: number;
  /** Connections on the port now (TLS transport only). */
  counts?: TlsFront['counts'];
  close(): Promise<void>;
}

/**
 * The node-to-node API on --listen-addr: the CA (open to joining nodes), the dispatcher, Raft
 * between managers, and the control API for calls other managers forward. Who may call what is
 * decided by the manager's access policy (manager/src/edge), wrapped around the handlers given
 * here; how many connections the port holds, and for how long a handshake may take, by the TLS
 * front (tls/tls-front.ts).
 */
export async function serveClusterApi(listenAddr: string, transport: ClusterTransport, services: ClusterServices): Promise<ClusterApi> {
  const protos = loadProtos();
  // No channelz: nothing reads it, and it tracks every call (timestamps, counters, listeners).
  const server = new grpc.Server({ 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_permit_without_calls': 1, 'grpc.max_receive_message_length': 8 * 1024 * 1024, 'grpc.enable_channelz': 0 });
  server.addService(protos.Dispatcher.service, services.dispatcher);
  if (services.nodeCA) server.addService(protos.NodeCA.service, services.nodeCA);
  if (services.raft) server.addService(protos.Raft.service, services.raft);
  if (services.control) server.addService(protos.Control.service, services.control);
  if (transport instanceof grpc.ServerCredentials) {
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(listenAddr, transport, (err, p) => (err ? reject(new Error(`cannot listen on ${listenAddr}: ${err.message}`)) : resolve(p))),
    );
    return { server, port, close: () => shutdownServer(server) };
  }
  const { host, port } = splitAddr(listenAddr);
  const front = await listenTlsFront({ host, port, server, ...transport });
  return {
    server,
    port: front.port,
    counts: front.counts,
    close: async () => {
      await front.close();
      await shutdownServer(server);
    },
  };
}

function splitAddr(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  return { host: addr.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(addr.slice(i + 1)) };
}
