import dgram from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import type { WorkerLog } from '../../task-manager/timers.js';
import { FrameReader, frame } from './tcp-frames.js';

/**
 * UDP and TCP on one address and port (a network's gateway, port 53). The gateway lives on the
 * network's bridge, which the data path creates; until it exists the bind fails
 * (EADDRNOTAVAIL) and the listener tries again every `retryMs`. Once bound, a socket keeps
 * working if the bridge goes and comes back with the same address.
 */
export type QueryHandler = (message: Buffer, source: string, transport: 'udp' | 'tcp') => Promise<Buffer | undefined>;

export interface ListenerLimits {
  /** Bytes of a UDP query; larger ones are dropped (a query is a few dozen bytes). */
  maxUdpQueryBytes: number;
  maxTcpConnections: number;
  /** A TCP connection with no complete query for this long is closed. */
  tcpIdleMs: number;
  /** Queries of one TCP connection being answered at once; the connection pauses beyond. */
  maxTcpPipelined: number;
}

export const DEFAULT_LISTENER_LIMITS: ListenerLimits = { maxUdpQueryBytes: 4096, maxTcpConnections: 256, tcpIdleMs: 10_000, maxTcpPipelined: 16 };

export interface ListenerOptions {
  address: string;
  port: number;
  handle: QueryHandler;
  log: WorkerLog;
  retryMs: number;
  limits: ListenerLimits;
}

export class AddressListener {
  private udp?: dgram.Socket;
  private tcp?: Server;
  private readonly connections = new Set<Socket>();
  private retry?: NodeJS.Timeout;
  private closed = false;
  private failures = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly o: ListenerOptions) {}

  get bound(): boolean {
    return !!this.udp && !!this.tcp;
  }

  open(): void {
    void this.tryBind();
  }

  /** Resolves once both sockets are bound (at once if they are), or when the listener closes. */
  whenBound(): Promise<void> {
    if (this.bound || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.wake();
    await this.unbind();
  }

  private async tryBind(): Promise<void> {
    if (this.closed) return;
    try {
      this.udp = await bindUdp(this.o.address, this.o.port, (msg, rinfo) => this.onUdp(msg, rinfo));
      this.tcp = await listenTcp(this.o.address, this.o.port, (socket) => this.onTcp(socket));
      if (this.closed) return void (await this.unbind());
      this.o.log.info({ addr: `${this.o.address}:${this.o.port}`, afterFailures: this.failures }, 'DNS server listening (udp, tcp)');
      this.wake();
    } catch (e) {
      await this.unbind();
      const error = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      const fields = { addr: `${this.o.address}:${this.o.port}`, error, retryMs: this.o.retryMs };
      // Said once, then once a minute or so: the retry is frequent, so that a container started
      // right after its network's bridge finds the server there. A missing address is the normal
      // wait for the bridge (an attachable network may never get one here); anything else is not.
      if (this.failures++ % Math.max(1, Math.round(60_000 / this.o.retryMs)) === 0) {
        if (error === 'EADDRNOTAVAIL') this.o.log.debug({ ...fields, failures: this.failures }, 'DNS server waits for the network bridge to hold its gateway address');
        else this.o.log.warn({ ...fields, failures: this.failures }, 'DNS server cannot bind; retrying');
      }
      if (!this.closed) this.retry = setTimeout(() => void this.tryBind(), this.o.retryMs);
    }
  }

  private async unbind(): Promise<void> {
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    for (const c of this.connections) c.destroy();
    this.connections.clear();
    if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcp) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }

  private onUdp(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (msg.length > this.o.limits.maxUdpQueryBytes) return;
    const socket = this.udp;
    this.o.handle(msg, plainV4(rinfo.address), 'udp').then(
      (reply) => {
        if (reply && socket && socket === this.udp) socket.send(reply, rinfo.port, rinfo.address);
      },
      (e: Error) => this.o.log.warn({ error: e.message }, 'DNS query failed'),
    );
  }

  private onTcp(socket: Socket): void {
    if (this.connections.size >= this.o.limits.maxTcpConnections) return void socket.destroy();
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(this.o.limits.tcpIdleMs, () => socket.destroy());
    const reader = new FrameReader();
    const source = plainV4(socket.remoteAddress ?? '');
    let pending = 0;
    socket.on('data', (chunk) => {
      for (const msg of reader.push(chunk)) {
        pending++;
        if (pending >= this.o.limits.maxTcpPipelined) socket.pause();
        this.o.handle(Buffer.from(msg), source, 'tcp')
          .then((reply) => {
            if (reply && !socket.destroyed) socket.write(frame(reply));
          })
          .catch((e: Error) => this.o.log.warn({ error: e.message }, 'DNS query failed'))
          .finally(() => {
            pending--;
            if (pending < this.o.limits.maxTcpPipelined) socket.resume();
          });
      }
    });
  }
}

/** "::ffff:10.0.1.7" (an IPv4 peer of a dual-stack socket) → "10.0.1.7". */
function plainV4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

function bindUdp(address: string, port: number, onMessage: (msg: Buffer, rinfo: dgram.RemoteInfo) => void): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    socket.once('error', (e) => {
      socket.close();
      reject(e);
    });
    socket.on('message', onMessage);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      resolve(socket);
    });
  });
}

function listenTcp(address: string, port: number, onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(onConnection);
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      resolve(server);
    });
  });
}
