import * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, ShoalError } from '@shoal/common';
import { loadProtos, toServiceError, type ControlHandlers, type DispatcherHandlers, type NodeCAHandlers, type RaftHandlers } from '@shoal/common/rpc';
import { ca } from '@shoal/manager';

/**
 * The node-to-node API on --listen-addr, over TLS with this manager's certificate: the CA (open to
 * joining nodes), the dispatcher (callers are checked against their certificate), Raft between
 * managers, and the control API for calls other managers forward (managers only).
 */
export async function serveClusterApi(
  listenAddr: string,
  credentials: grpc.ServerCredentials,
  services: { dispatcher: DispatcherHandlers; nodeCA?: NodeCAHandlers; raft?: RaftHandlers; control?: ControlHandlers },
): Promise<{ server: grpc.Server; port: number }> {
  const protos = loadProtos();
  const server = new grpc.Server({ 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_permit_without_calls': 1, 'grpc.max_receive_message_length': 8 * 1024 * 1024 });
  server.addService(protos.Dispatcher.service, services.dispatcher);
  if (services.nodeCA) server.addService(protos.NodeCA.service, services.nodeCA);
  if (services.raft) server.addService(protos.Raft.service, services.raft);
  if (services.control) server.addService(protos.Control.service, services.control);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(listenAddr, credentials, (err, p) => (err ? reject(new Error(`cannot listen on ${listenAddr}: ${err.message}`)) : resolve(p))),
  );
  return { server, port };
}

/** Control calls on the node-to-node port come from other managers only (forwarded to the leader). */
export function managersOnly(handlers: ControlHandlers): ControlHandlers {
  const out: Record<string, (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => void> = {};
  for (const [name, fn] of Object.entries(handlers)) {
    out[name] = (call, cb) => {
      try {
        const who = ca.peerIdentity(call);
        if (who.role !== 'manager') throw new ShoalError(ERROR_CODES.PERMISSION_DENIED, `node ${who.nodeId} is not a manager`);
      } catch (e) {
        cb(toServiceError(e));
        return;
      }
      (fn as typeof out[string])(call, cb);
    };
  }
  return out as unknown as ControlHandlers;
}
