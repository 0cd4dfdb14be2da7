import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Clock, NetworkTable, Rng } from '@shoal/common';
import type { WorkerLog } from '../../task-manager/timers.js';
import { buildDnsIndex, EMPTY_DNS_INDEX, inSubnet, type DnsIndex } from '../dns-index.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from '../rate-limiter.js';
import { resolve } from '../resolver.js';
import { DNS_PORT, parseUpstream, resolvConfNameservers, upstreamText, type Upstream } from '../upstreams.js';
import { forward } from './forwarder.js';
import { AddressListener, DEFAULT_LISTENER_LIMITS, type ListenerLimits } from './listener.js';
import { answersOf, decodeMessage, encodeWithin, response, truncatedFor, udpLimitOf, type Rcode } from './packets.js';
import type { DecodedPacket } from 'dns-packet';
import { MAX_TCP_MESSAGE_BYTES } from './tcp-frames.js';

export interface DnsServerOptions {
  log: WorkerLog;
  /** `shoald --dns`: upstream resolvers ("ADDR" or "ADDR:PORT"); empty: the host's resolv.conf. */
  upstreams?: readonly string[];
  resolvConfPath?: string;
  /** 53; tests listen on a high port. */
  port?: number;
  clock?: Clock;
  rng?: Rng;
  /** How long one upstream has to answer before the next is asked. */
  forwardTimeoutMs?: number;
  /** Queries being forwarded at once, all networks together; beyond, SERVFAIL at once. */
  maxForwardsInFlight?: number;
  rateLimits?: RateLimits;
  listenerLimits?: ListenerLimits;
  /** How often a gateway that is not a local address yet is tried again (100 ms). */
  bindRetryMs?: number;
}

const RESOLV_CONF_REREAD_MS = 10_000;
const NO_UPSTREAM_LOG_EVERY_MS = 10_000;

/**
 * shoald's DNS server: UDP and TCP on port 53 of the gateway of every network in the node's
 * NetworkTable, answering the cluster's names from the table (resolver.ts) and forwarding the
 * rest to the upstream resolvers. `apply(table)` is a NetworkTable consumer of the agent.
 */
export class DnsServer {
  private index: DnsIndex = EMPTY_DNS_INDEX;
  private readonly listeners = new Map<string, AddressListener>();
  private readonly limiter: RateLimiter;
  private readonly fixedUpstreams: Upstream[] | undefined;
  private hostUpstreams: { list: Upstream[]; readAtMs: number } | undefined;
  private inFlight = 0;
  private lastNoUpstreamLogMs = -Infinity;
  private unloggedFailures = 0;
  private readonly clock: Clock;
  private readonly rng: Rng;

  constructor(private readonly o: DnsServerOptions) {
    this.clock = o.clock ?? { now: () => Date.now() };
    this.rng = o.rng ?? { next: () => Math.random() };
    this.limiter = new RateLimiter(o.rateLimits ?? DEFAULT_RATE_LIMITS);
    const given = o.upstreams ?? [];
    this.fixedUpstreams = given.length === 0 ? undefined : given.map((text) => {
      const u = parseUpstream(text, isIP);
      if (!u) throw new Error(`invalid DNS server address "${text}": want an IP address, optionally with :PORT`);
      return u;
    });
  }

  /** Swaps in the new table (one assignment) and opens or closes listeners to match it. */
  async apply(table: NetworkTable): Promise<void> {
    const index = buildDnsIndex(table);
    this.index = index;
    const closing: Promise<void>[] = [];
    for (const [address, listener] of this.listeners) {
      if (index.byGateway.has(address)) continue;
      this.listeners.delete(address);
      closing.push(listener.close());
    }
    for (const address of index.byGateway.keys()) {
      if (this.listeners.has(address)) continue;
      const listener = new AddressListener({
        address,
        port: this.o.port ?? DNS_PORT,
        handle: (msg, source, transport) => this.handle(msg, address, source, transport),
        log: this.o.log,
        retryMs: this.o.bindRetryMs ?? 100,
        limits: this.o.listenerLimits ?? DEFAULT_LISTENER_LIMITS,
      });
      this.listeners.set(address, listener);
      listener.open();
    }
    await Promise.all(closing);
  }

  async close(): Promise<void> {
    const all = [...this.listeners.values()];
    this.listeners.clear();
    this.index = EMPTY_DNS_INDEX;
    await Promise.all(all.map((l) => l.close()));
  }

  /**
   * Resolves once shoald answers on `gateway` (a network of the last table), or after `timeoutMs`
   * with false: for a caller that wants the server up before a network's first container starts.
   */
  async whenListening(gateway: string, timeoutMs: number): Promise<boolean> {
    const listener = this.listeners.get(gateway);
    if (!listener) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([listener.whenBound(), timeout]);
    clearTimeout(timer);
    return listener.bound;
  }

  /** Addresses with a bound listener (for tests and status). */
  boundAddresses(): string[] {
    return [...this.listeners].filter(([, l]) => l.bound).map(([a]) => a);
  }

  /** One query that arrived on `gateway` from `source`: the reply's bytes, or undefined to drop it. */
  async handle(message: Buffer, gateway: string, source: string, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    const network = this.index.networks.get(this.index.byGateway.get(gateway) ?? '');
    // Only the network's members (and the host itself, from the gateway address) ask here: the
    // gateway is reachable from outside by routing too, and shoald must not be an open resolver.
    const member = !!network && inSubnet(network.subnet, source);
    const allowed = member && this.limiter.allow(source, this.clock.now());
    if (!allowed && transport === 'udp') return undefined;
    const query = decodeMessage(message);
    if (!query || query.type !== 'query') return undefined;
    const maxBytes = transport === 'udp' ? udpLimitOf(query) : MAX_TCP_MESSAGE_BYTES;
    const reply = (rcode: Rcode) => encodeWithin(response(query, rcode), maxBytes);
    if (!allowed || !network) return reply('REFUSED');
    if ((query as { opcode?: string }).opcode !== 'QUERY') return reply('NOTIMP');
    const question = query.questions?.[0];
    if (!question || query.questions!.length !== 1) return reply('FORMERR');
    const decision = resolve(this.index, { networkId: network.id, source, question }, this.rng);
    if (decision.kind === 'answer') return encodeWithin(response(query, decision.rcode, answersOf(decision.answers), true), maxBytes);
    return this.forwardQuery(message, query, maxBytes, transport);
  }

  private async forwardQuery(message: Buffer, query: DecodedPacket, maxBytes: number, transport: 'udp' | 'tcp'): Promise<Buffer> {
    const fail = () => encodeWithin(response(query, 'SERVFAIL'), maxBytes);
    const maxInFlight = this.o.maxForwardsInFlight ?? 256;
    if (this.inFlight >= maxInFlight) return fail();
    this.inFlight++;
    try {
      const upstreams = await this.upstreams();
      const name = query.questions?.[0]?.name ?? '';
      if (upstreams.length === 0) {
        this.logNoUpstream(name, `no upstream DNS server configured (--dns) or found in ${this.o.resolvConfPath ?? '/etc/resolv.conf'}`);
        return fail();
      }
      const got = await forward(message, upstreams, this.o.forwardTimeoutMs ?? 2000);
      if (!got) {
        this.logNoUpstream(name, `no upstream DNS server answered (tried ${upstreams.map(upstreamText).join(', ')})`);
        return fail();
      }
      if (transport === 'udp' && got.reply.length > maxBytes) return truncatedFor(query);
      return got.reply;
    } finally {
      this.inFlight--;
    }
  }

  private logNoUpstream(name: string, msg: string): void {
    const now = this.clock.now();
    if (now - this.lastNoUpstreamLogMs < NO_UPSTREAM_LOG_EVERY_MS) {
      this.unloggedFailures++;
      return;
    }
    this.o.log.warn({ name, failuresSinceLastLog: this.unloggedFailures }, `DNS: ${msg}; answered SERVFAIL`);
    this.lastNoUpstreamLogMs = now;
    this.unloggedFailures = 0;
  }

  /** `--dns`, else the host's resolv.conf (re-read every 10 s), without shoald's own addresses. */
  private async upstreams(): Promise<Upstream[]> {
    let list = this.fixedUpstreams;
    if (!list) {
      const now = this.clock.now();
      if (!this.hostUpstreams || now - this.hostUpstreams.readAtMs >= RESOLV_CONF_REREAD_MS) {
        const text = await readFile(this.o.resolvConfPath ?? '/etc/resolv.conf', 'utf8').catch(() => '');
        this.hostUpstreams = { list: resolvConfNameservers(text, isIP), readAtMs: now };
      }
      list = this.hostUpstreams.list;
    }
    const port = this.o.port ?? DNS_PORT;
    return list.filter((u) => !(u.port === port && this.listeners.has(u.host)));
  }
}
