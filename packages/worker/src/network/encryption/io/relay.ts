import { createSocket, type Socket } from 'node:dgram';
import type { NetworkTable } from '@shoal/common';
import { CryptoChannel, type DropReason } from '../crypto-channel.js';
import { ENCRYPTED_VXLAN_PORT, RELAY_PORT, overlayHooks, planRelay, type OverlayHooks } from '../relay-plan.js';
import { ensureCryptRules, ensureOffloadOff, ethtoolMissing, removeCryptRules } from './crypt-rules-io.js';
import { aeadUnavailableReason, newSession, nodeAead } from './node-aead.js';

export interface RelayOptions {
  /** This node's underlay (advertise) address: the relay's source address and its identity. */
  selfAddr: string;
  log?: (line: string) => void;
  /** Datagrams handed to the kernel and not yet sent; beyond this the relay drops (`overload`). */
  maxInflight?: number;
  /** How often the netfilter rules are checked and put back (ms). */
  watchdogMs?: number;
  relayPort?: number;
  now?: () => number;
  /** The host's netfilter and ethtool calls (tests replace them; default: io/crypt-rules-io.ts). */
  host?: RelayHost;
}

export interface RelayHost {
  ensureRules(): Promise<string | null>;
  removeRules(): Promise<void>;
  ethtoolMissing(): Promise<string | null>;
  ensureOffloadOff(devices: readonly string[]): Promise<void>;
}

const realHost: RelayHost = { ensureRules: ensureCryptRules, removeRules: removeCryptRules, ethtoolMissing, ensureOffloadOff };

export interface RelayStats {
  sealed: number;
  opened: number;
  dropped: Partial<Record<DropReason | 'overload' | 'send-error', number>>;
  peers: number;
}

export const DEFAULT_MAX_INFLIGHT = 4096;

/**
 * The userspace encryption relay of a node (README.md): the kernel's VXLAN datagrams for encrypted
 * networks arrive on one loopback socket per peer, leave sealed by the underlay socket, and sealed
 * datagrams from peers are opened and handed to the kernel's VXLAN socket on loopback.
 */
export class EncryptedOverlayRelay {
  private readonly channel: CryptoChannel;
  private underlay?: Socket;
  private deliver?: Socket;
  private readonly peerSockets = new Map<string, Socket>();
  private ports = new Map<string, number>();
  private devices: string[] = [];
  private reason: string | null = 'the encryption relay has not started';
  private starting?: Promise<void>;
  private queue: Promise<void> = Promise.resolve();
  private inflight = 0;
  private watchdog?: NodeJS.Timeout;
  private readonly stats: RelayStats = { sealed: 0, opened: 0, dropped: {}, peers: 0 };
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private readonly host: RelayHost;

  constructor(private readonly opts: RelayOptions) {
    this.channel = new CryptoChannel(nodeAead, newSession(), opts.selfAddr);
    this.log = opts.log ?? (() => {});
    this.now = opts.now ?? Date.now;
    this.host = opts.host ?? realHost;
  }

  /** Why this node cannot encrypt right now, or null when it can (tasks are refused meanwhile). */
  cannotEncrypt(): string | null {
    return this.reason;
  }

  /** The data path planner's hooks; they follow the relay's current peer ports. */
  hooks(): OverlayHooks {
    return {
      peerUnderlay: (n, addr) => overlayHooks(this.ports).peerUnderlay(n, addr),
      vxlanPort: (n) => overlayHooks(this.ports).vxlanPort(n),
      overheadBytes: (n) => overlayHooks(this.ports).overheadBytes(n),
      deviceSetup: (n, dev) => overlayHooks(this.ports).deviceSetup(n, dev),
    };
  }

  snapshot(): RelayStats {
    return { ...this.stats, dropped: { ...this.stats.dropped }, peers: this.peerSockets.size };
  }

  /**
   * Starts the relay once (later calls wait for the first); resolves with `cannotEncrypt()`.
   * Nodes without encrypted networks never start it: no rules, no sockets.
   */
  ensureStarted(): Promise<string | null> {
    this.starting ??= this.startOnce();
    return this.starting.then(() => this.reason);
  }

  async start(): Promise<void> {
    await this.ensureStarted();
  }

  private async startOnce(): Promise<void> {
    const noAead = aeadUnavailableReason() ?? (await this.host.ethtoolMissing());
    if (noAead) return this.fail(noAead);
    const noRules = await this.host.ensureRules();
    if (noRules) return this.fail(noRules);
    try {
      this.deliver = await bound('127.0.0.1', 0);
      this.underlay = await bound(this.opts.selfAddr, this.opts.relayPort ?? RELAY_PORT);
    } catch (e) {
      return this.fail(`cannot bind the relay socket on ${this.opts.selfAddr}:${this.opts.relayPort ?? RELAY_PORT}: ${(e as Error).message}`);
    }
    this.underlay.on('message', (msg, from) => this.fromPeer(msg, from.address));
    this.watchdog = setInterval(() => void this.checkRules(), this.opts.watchdogMs ?? 5_000);
    this.watchdog.unref();
    this.reason = null;
    this.log('encrypted overlays: userspace relay (AES-256-GCM) ready');
  }

  /**
   * A network consumer: call before the data path's apply, so its fdb entries see the ports.
   * Calls are serialized: two at once would bind a peer's port twice.
   */
  apply(table: NetworkTable): Promise<void> {
    const next = this.queue.then(() => this.applyNow(table));
    this.queue = next.catch(() => {});
    return next;
  }

  private async applyNow(table: NetworkTable): Promise<void> {
    const plan = planRelay(table, this.opts.selfAddr, this.ports);
    if (plan.networks.length > 0 && (await this.ensureStarted()) !== null) return; // tasks are refused meanwhile
    if (plan.badKeys.length > 0) this.log(`encrypted overlays: ignoring malformed keys ${plan.badKeys.join(', ')}`);
    if (plan.overflow.length > 0) this.log(`encrypted overlays: more than the peer limit; no traffic to ${plan.overflow.join(', ')}`);
    this.channel.setNetworks(plan.networks);
    const fresh = plan.devices.filter((d) => !this.devices.includes(d));
    this.devices = plan.devices;
    if (fresh.length > 0) await this.host.ensureOffloadOff(fresh);
    for (const [peer, sock] of this.peerSockets) {
      if (plan.ports.get(peer) === this.ports.get(peer)) continue;
      sock.close();
      this.peerSockets.delete(peer);
    }
    this.ports = plan.ports;
    for (const [peer, port] of plan.ports) {
      if (this.peerSockets.has(peer)) continue;
      try {
        const sock = await bound('127.0.0.1', port);
        sock.on('message', (msg) => this.toPeer(msg, peer));
        this.peerSockets.set(peer, sock);
      } catch (e) {
        this.ports.delete(peer);
        this.log(`encrypted overlays: no relay port for ${peer} (${(e as Error).message}); its traffic is dropped`);
      }
    }
  }

  /**
   * A network consumer to run after the data path's apply, when it does not run `deviceSetup`
   * itself: turns checksum offload off on the encrypted networks' VXLAN devices it just created.
   * (The watchdog does the same every `watchdogMs`.)
   */
  async afterDataPath(): Promise<void> {
    await this.host.ensureOffloadOff(this.devices);
  }

  /**
   * Closes the sockets and leaves the netfilter rules in place: while a VXLAN device of an
   * encrypted network may still exist, they are what keeps its datagrams off the underlay.
   * `removeAll` (swarm leave, after the data path removed its devices) deletes them too.
   */
  stop(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    for (const s of this.peerSockets.values()) s.close();
    this.peerSockets.clear();
    this.underlay?.close();
    this.deliver?.close();
    this.underlay = this.deliver = undefined;
    this.reason = 'the encryption relay has stopped';
    this.starting = Promise.resolve();
  }

  async removeAll(): Promise<void> {
    this.stop();
    await this.host.removeRules();
  }

  private toPeer(msg: Buffer, peer: string): void {
    const sealed = this.channel.seal(msg, peer, this.now());
    if (!sealed.ok) return this.drop(sealed.reason);
    this.send(this.underlay, sealed.datagram, this.opts.relayPort ?? RELAY_PORT, peer);
    this.stats.sealed++;
  }

  private fromPeer(msg: Buffer, peer: string): void {
    const opened = this.channel.open(msg, peer);
    if (!opened.ok) return this.drop(opened.reason);
    this.send(this.deliver, opened.vxlan, ENCRYPTED_VXLAN_PORT, '127.0.0.1');
    this.stats.opened++;
  }

  private send(sock: Socket | undefined, data: Uint8Array, port: number, addr: string): void {
    if (!sock) return this.drop('send-error');
    if (this.inflight >= (this.opts.maxInflight ?? DEFAULT_MAX_INFLIGHT)) return this.drop('overload');
    this.inflight++;
    sock.send(data, port, addr, (err) => {
      this.inflight--;
      if (err) this.drop('send-error');
    });
  }

  private drop(reason: keyof RelayStats['dropped']): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + 1;
  }

  private async checkRules(): Promise<void> {
    if (this.devices.length === 0) return; // no encrypted network here: nothing to guard yet
    await this.host.ensureOffloadOff(this.devices);
    const failed = await this.host.ensureRules();
    if (failed !== this.reason && (failed !== null || this.reason !== null)) this.log(`encrypted overlays: ${failed ?? 'rules restored'}`);
    if (this.underlay) this.reason = failed;
  }

  private fail(reason: string): void {
    this.reason = reason;
    this.log(`encrypted overlays unavailable: ${reason}`);
  }
}

function bound(addr: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    sock.once('error', reject);
    sock.bind(port, addr, () => {
      sock.removeListener('error', reject);
      sock.on('error', () => {});
      resolve(sock);
    });
  });
}
