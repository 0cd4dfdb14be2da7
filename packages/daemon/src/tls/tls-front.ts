import * as net from 'node:net';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { ConnectionTable, refusalLogger, type ConnectionLimits } from '@shoal/manager';
import type { NodeCerts } from './node-certs.js';

export interface TlsFrontOptions {
  host: string;
  port: number;
  certs: NodeCerts;
  limits: ConnectionLimits;
  /** The gRPC server that serves the connections once their TLS handshake is done. */
  server: grpc.Server;
  log: (msg: string, fields: Record<string, unknown>) => void;
}

export interface TlsFront {
  port: number;
  counts(): { total: number; unauthenticated: number };
  close(): Promise<void>;
}

/**
 * The node-to-node port, in front of grpc-js (which has no handshake deadline and no connection
 * bound): a TCP listener admits each connection against the limits (manager edge/connection-table),
 * runs the TLS handshake with a deadline, and hands the established TLS socket to the gRPC server.
 * A client certificate is asked for and verified but not required (a joiner has none yet); a
 * connection without one is short-lived and counted against the unauthenticated bound.
 */
export async function listenTlsFront(o: TlsFrontOptions): Promise<TlsFront> {
  const table = new ConnectionTable(o.limits);
  const refused = refusalLogger(o.log, { now: () => Date.now() });
  // The TLS is ours: grpc-js sees an established socket, as if on a plaintext port.
  const injector = o.server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const tlsServer = tls.createServer({
    ca: o.certs.rootCertPem,
    cert: o.certs.certPem,
    key: o.certs.keyPem,
    requestCert: true,
    rejectUnauthorized: false,
    ALPNProtocols: ['h2'],
    handshakeTimeout: o.limits.handshakeTimeoutMs,
  });
  const pending = new Map<string, { id: number; deadline: NodeJS.Timeout }>();
  const open = new Set<net.Socket>();

  tlsServer.on('secureConnection', (socket: tls.TLSSocket) => {
    const key = endpoint(socket);
    const p = pending.get(key);
    if (!p) return void socket.destroy();
    pending.delete(key);
    clearTimeout(p.deadline);
    open.add(socket);
    const lifetime = socket.authorized ? undefined : setTimeout(() => socket.destroy(), o.limits.unauthenticatedLifetimeMs);
    socket.once('close', () => {
      open.delete(socket);
      clearTimeout(lifetime);
      table.closed(p.id);
    });
    if (socket.authorized) {
      table.authenticated(p.id);
      peerCertificateOnce(socket);
    }
    injector.injectConnection(socket);
  });
  tlsServer.on('tlsClientError', (_e, socket) => socket.destroy());

  const listener = net.createServer((raw) => {
    raw.on('error', () => {});
    const source = raw.remoteAddress ?? 'unknown';
    const admitted = table.open(source);
    if (!admitted.ok) {
      refused(source, 'refused a connection on the node-to-node port', { source, reason: admitted.reason });
      raw.destroy();
      return;
    }
    const key = endpoint(raw);
    const deadline = setTimeout(() => raw.destroy(), o.limits.handshakeTimeoutMs);
    pending.set(key, { id: admitted.id, deadline });
    open.add(raw);
    raw.once('close', () => {
      open.delete(raw);
      clearTimeout(deadline);
      if (pending.get(key)?.id === admitted.id) pending.delete(key);
      // Before the handshake finished; after it, the TLS socket's close reports it (the same id).
      table.closed(admitted.id);
    });
    tlsServer.emit('connection', raw);
  });
  const port = await new Promise<number>((resolve, reject) => {
    listener.once('error', (e) => reject(new Error(`cannot listen on ${o.host}:${o.port}: ${e.message}`)));
    listener.listen(o.port, o.host, () => resolve((listener.address() as net.AddressInfo).port));
  });
  return {
    port,
    counts: () => table.counts(),
    close: async () => {
      await new Promise<void>((resolve) => {
        listener.close(() => resolve());
        for (const s of open) s.destroy();
        injector.destroy();
      });
    },
  };
}

/**
 * grpc-js asks the TLS socket for the peer's certificate on every call (getAuthContext), and
 * Node builds it anew each time (DER copy, fingerprints, subject): 8 % of the leader's CPU under
 * 256 clients. A connection's certificate cannot change once renegotiation is off (TLS 1.2; TLS
 * 1.3 has none), so it is read once here and the socket answers with that object from then on.
 */
export function peerCertificateOnce(socket: tls.TLSSocket): void {
  socket.disableRenegotiation();
  const cert = socket.getPeerCertificate();
  const original = socket.getPeerCertificate.bind(socket);
  socket.getPeerCertificate = ((detailed?: boolean) => (detailed ? original(true) : cert)) as tls.TLSSocket['getPeerCertificate'];
}

function endpoint(s: net.Socket): string {
  return `${s.remoteAddress}:${s.remotePort}`;
}
