import type { AeadSuite } from './aead.js';
import { ReplayWindow } from './replay-window.js';
import {
  HEADER_BYTES,
  MAX_PLAIN_BYTES,
  SEAL_OVERHEAD_BYTES,
  SESSION_BYTES,
  decodeHeader,
  encodeHeader,
  nonceOf,
  vxlanVni,
} from './wire-format.js';

/** What a node knows of one encrypted network, from its NetworkTable. */
export interface EncryptedNetworkKeys {
  vni: number;
  /** Every key the node holds for it (32 bytes each). */
  keys: { id: number; key: Uint8Array; sendFrom: number }[];
  /** Underlay addresses of the other nodes with endpoints on it: the only peers it talks to. */
  peers: ReadonlySet<string>;
}

/** Why a datagram was dropped; each has a counter. */
export type DropReason =
  | 'not-vxlan'
  | 'too-large'
  | 'unknown-network'
  | 'unknown-peer'
  | 'no-key'
  | 'malformed'
  | 'auth-failed'
  | 'replay'
  | 'vni-mismatch';

export type Sealed = { ok: true; datagram: Uint8Array } | { ok: false; reason: DropReason };
export type Opened = { ok: true; vxlan: Uint8Array } | { ok: false; reason: DropReason };

/** Receive streams kept per peer (sessions × keys × networks); the oldest is forgotten first. */
export const MAX_STREAMS_PER_PEER = 16;
const INFO_PREFIX = 'shoal-overlay-v1';

interface Stream {
  key: Uint8Array;
  window: ReplayWindow;
}

/**
 * Seals VXLAN datagrams for a peer and opens what peers sent, for every encrypted network of the
 * node. Keys are per direction: HKDF(network key, salt = sender session, info = version, VNI, key
 * id, sender > receiver). One counter per process numbers every datagram it seals, so no nonce
 * repeats under a key; the receiver keeps a replay window per stream. Pure: time and crypto come in.
 */
export class CryptoChannel {
  private networks = new Map<number, EncryptedNetworkKeys>();
  private counter = 0n;
  private readonly sendKeys = new Map<string, Uint8Array>();
  private readonly streams = new Map<string, Map<string, Stream>>();

  constructor(
    private readonly suite: AeadSuite,
    private readonly session: Uint8Array,
    private readonly selfAddr: string,
  ) {
    if (session.length !== SESSION_BYTES) throw new Error('assertion failed: session must be 8 bytes');
  }

  /** Replaces the networks (keys, peers); forgets derived keys of keys or peers that left. */
  setNetworks(networks: readonly EncryptedNetworkKeys[]): void {
    this.networks = new Map(networks.map((n) => [n.vni, n]));
    this.sendKeys.clear();
    for (const [peer, streams] of this.streams) {
      const known = networks.some((n) => n.peers.has(peer));
      if (!known) this.streams.delete(peer);
      else for (const id of streams.keys()) if (!this.streamStillValid(id)) streams.delete(id);
    }
  }

  seal(vxlan: Uint8Array, peer: string, nowMs: number): Sealed {
    const vni = vxlanVni(vxlan);
    if (vni < 0) return { ok: false, reason: 'not-vxlan' };
    if (vxlan.length > MAX_PLAIN_BYTES) return { ok: false, reason: 'too-large' };
    const net = this.networks.get(vni);
    if (!net) return { ok: false, reason: 'unknown-network' };
    if (!net.peers.has(peer)) return { ok: false, reason: 'unknown-peer' };
    const entry = sendKeyOf(net, nowMs);
    if (!entry) return { ok: false, reason: 'no-key' };
    const cacheId = `${vni}/${entry.id}/${peer}`;
    let key = this.sendKeys.get(cacheId);
    if (!key) {
      key = this.suite.deriveKey(entry.key, this.session, infoOf(vni, entry.id, this.selfAddr, peer));
      this.sendKeys.set(cacheId, key);
    }
    const counter = this.counter++;
    const out = new Uint8Array(vxlan.length + SEAL_OVERHEAD_BYTES);
    encodeHeader({ vni, keyId: entry.id, session: this.session, counter }, out);
    const aad = out.subarray(0, HEADER_BYTES);
    const written = this.suite.seal(key, nonceOf(counter), aad, vxlan, out, HEADER_BYTES);
    if (written !== vxlan.length + SEAL_OVERHEAD_BYTES - HEADER_BYTES) throw new Error('assertion failed: sealed length');
    return { ok: true, datagram: out };
  }

  open(datagram: Uint8Array, peer: string): Opened {
    const header = decodeHeader(datagram);
    if (typeof header === 'string') return { ok: false, reason: 'malformed' };
    const net = this.networks.get(header.vni);
    if (!net) return { ok: false, reason: 'unknown-network' };
    if (!net.peers.has(peer)) return { ok: false, reason: 'unknown-peer' };
    const entry = net.keys.find((k) => k.id === header.keyId);
    if (!entry) return { ok: false, reason: 'no-key' };
    const streamId = `${header.vni}/${header.keyId}/${hex(header.session)}`;
    const known = this.streams.get(peer)?.get(streamId);
    if (known && !known.window.check(header.counter)) return { ok: false, reason: 'replay' };
    const key = known?.key ?? this.suite.deriveKey(entry.key, header.session, infoOf(header.vni, entry.id, peer, this.selfAddr));
    const aad = datagram.subarray(0, HEADER_BYTES);
    const plain = this.suite.open(key, nonceOf(header.counter), aad, datagram.subarray(HEADER_BYTES));
    if (!plain) return { ok: false, reason: 'auth-failed' };
    if (vxlanVni(plain) !== header.vni) return { ok: false, reason: 'vni-mismatch' };
    const stream = known ?? this.addStream(peer, streamId, key);
    if (!stream.window.mark(header.counter)) return { ok: false, reason: 'replay' };
    return { ok: true, vxlan: plain };
  }

  private addStream(peer: string, streamId: string, key: Uint8Array): Stream {
    let streams = this.streams.get(peer);
    if (!streams) this.streams.set(peer, (streams = new Map()));
    if (streams.size >= MAX_STREAMS_PER_PEER) {
      const oldest = streams.keys().next().value;
      if (oldest !== undefined) streams.delete(oldest);
    }
    const stream = { key, window: new ReplayWindow() };
    streams.set(streamId, stream);
    return stream;
  }

  private streamStillValid(streamId: string): boolean {
    const [vni, keyId] = streamId.split('/').map(Number);
    const net = this.networks.get(vni ?? -1);
    return net !== undefined && net.keys.some((k) => k.id === keyId);
  }
}

/** The newest key whose sendFrom has come; before any has, the oldest (which everyone has). */
export function sendKeyOf(net: EncryptedNetworkKeys, nowMs: number): EncryptedNetworkKeys['keys'][number] | undefined {
  let best: EncryptedNetworkKeys['keys'][number] | undefined;
  let oldest: EncryptedNetworkKeys['keys'][number] | undefined;
  for (const k of net.keys) {
    if (!oldest || k.id < oldest.id) oldest = k;
    if (k.sendFrom <= nowMs && (!best || k.id > best.id)) best = k;
  }
  return best ?? oldest;
}

function infoOf(vni: number, keyId: number, sender: string, receiver: string): string {
  return `${INFO_PREFIX} vni=${vni} key=${keyId} ${sender}>${receiver}`;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
