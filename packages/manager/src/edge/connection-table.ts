import { assert } from '@shoal/common';

export interface ConnectionLimits {
  /** Connections on the node-to-node port at once, whatever their state. */
  maxTotal: number;
  /** Connections without a verified node certificate at once: handshaking, or a joining node's. */
  maxUnauthenticated: number;
  /** The same, from one source address. */
  maxUnauthenticatedPerSource: number;
  /** A TLS handshake that has not finished by then is cut. */
  handshakeTimeoutMs: number;
  /** A connection without a node certificate (a joiner's) is cut after this long. */
  unauthenticatedLifetimeMs: number;
}

/** Without a certificate, a connection holds a file descriptor and TLS state: few of them, briefly. */
export const CONNECTION_LIMITS: ConnectionLimits = {
  maxTotal: 4_096,
  maxUnauthenticated: 128,
  maxUnauthenticatedPerSource: 16,
  handshakeTimeoutMs: 5_000,
  unauthenticatedLifetimeMs: 30_000,
};

/** Descriptors kept back for the local socket, LevelDB, Docker and the Raft clients. */
const RESERVED_FDS = 256;

/**
 * The limits for a process allowed `fdLimit` open files: at most three quarters of them on the
 * network port (minus a reserve), so that nothing there can lock the node out of its local socket.
 */
export function connectionLimitsFor(fdLimit: number, base: ConnectionLimits = CONNECTION_LIMITS): ConnectionLimits {
  const room = Math.max(32, Math.min(16_384, Math.floor(fdLimit * 0.75) - RESERVED_FDS));
  const maxUnauthenticated = Math.min(base.maxUnauthenticated, room);
  return {
    ...base,
    maxTotal: room,
    maxUnauthenticated,
    maxUnauthenticatedPerSource: Math.min(base.maxUnauthenticatedPerSource, maxUnauthenticated),
  };
}

/**
 * The limits with `perSource` unauthenticated connections allowed from one address (shoald's
 * `--max-handshakes-per-source`), never more than the unauthenticated connections in all. Only
 * where many nodes share one address (1,000 hollow nodes on loopback) does the default refuse
 * honest peers.
 */
export function withHandshakesPerSource(limits: ConnectionLimits, perSource: number): ConnectionLimits {
  assert(Number.isInteger(perSource) && perSource >= 1, 'handshakes per source must be a positive integer');
  return { ...limits, maxUnauthenticatedPerSource: Math.min(perSource, limits.maxUnauthenticated) };
}

export type Opened = { ok: true; id: number } | { ok: false; reason: string };

interface Entry {
  source: string;
  authenticated: boolean;
}

/**
 * Which connections the node-to-node port holds, and whether a new one may come in. Pure: the
 * listener (io/tls-front.ts) reports what happens to each socket and does what this says.
 */
export class ConnectionTable {
  private readonly entries = new Map<number, Entry>();
  private readonly unauthBySource = new Map<string, number>();
  private unauthenticated = 0;
  private nextId = 1;

  constructor(readonly limits: ConnectionLimits) {
    assert(limits.maxUnauthenticatedPerSource <= limits.maxUnauthenticated && limits.maxUnauthenticated <= limits.maxTotal, 'connection limits must nest');
  }

  /** A TCP connection arrived from `source`; it starts unauthenticated. */
  open(source: string): Opened {
    if (this.entries.size >= this.limits.maxTotal) return { ok: false, reason: `${this.limits.maxTotal} connections open` };
    if (this.unauthenticated >= this.limits.maxUnauthenticated) return { ok: false, reason: `${this.limits.maxUnauthenticated} unauthenticated connections open` };
    const fromSource = this.unauthBySource.get(source) ?? 0;
    if (fromSource >= this.limits.maxUnauthenticatedPerSource) return { ok: false, reason: `${fromSource} unauthenticated connections open from ${source}` };
    const id = this.nextId++;
    this.entries.set(id, { source, authenticated: false });
    this.countUnauth(source, +1);
    return { ok: true, id };
  }

  /** The connection's TLS handshake finished with a verified node certificate. */
  authenticated(id: number): void {
    const e = this.entries.get(id);
    if (!e || e.authenticated) return;
    e.authenticated = true;
    this.countUnauth(e.source, -1);
  }

  /** The connection is gone (any number of times). */
  closed(id: number): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    if (!e.authenticated) this.countUnauth(e.source, -1);
  }

  counts(): { total: number; unauthenticated: number } {
    return { total: this.entries.size, unauthenticated: this.unauthenticated };
  }

  private countUnauth(source: string, delta: 1 | -1): void {
    const n = (this.unauthBySource.get(source) ?? 0) + delta;
    assert(n >= 0, 'unauthenticated connection count went below zero');
    if (n === 0) this.unauthBySource.delete(source);
    else this.unauthBySource.set(source, n);
    this.unauthenticated += delta;
    assert(this.unauthenticated >= 0 && this.unauthenticated <= this.limits.maxUnauthenticated, 'unauthenticated connections out of bounds');
  }
}
