import { describe, expect, it } from 'vitest';
import { CryptoChannel, MAX_STREAMS_PER_PEER, sendKeyOf, type EncryptedNetworkKeys } from '../../../src/network/encryption/crypto-channel.js';
import { nodeAead } from '../../../src/network/encryption/io/node-aead.js';
import { REPLAY_WINDOW, ReplayWindow } from '../../../src/network/encryption/replay-window.js';
import { HEADER_BYTES, SEAL_OVERHEAD_BYTES, decodeHeader } from '../../../src/network/encryption/wire-format.js';

const A = '10.99.0.11';
const B = '10.99.0.12';
const key1 = new Uint8Array(32).fill(1);
const key2 = new Uint8Array(32).fill(2);

function vxlan(vni: number, text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const d = new Uint8Array(8 + body.length);
  d[0] = 0x08;
  d[4] = (vni >> 16) & 0xff;
  d[5] = (vni >> 8) & 0xff;
  d[6] = vni & 0xff;
  d.set(body, 8);
  return d;
}

function net(vni: number, peer: string, keys = [{ id: 1, key: key1, sendFrom: 0 }]): EncryptedNetworkKeys {
  return { vni, keys, peers: new Set([peer]) };
}

function pair(session = 7) {
  const a = new CryptoChannel(nodeAead, new Uint8Array(8).fill(session), A);
  const b = new CryptoChannel(nodeAead, new Uint8Array(8).fill(9), B);
  a.setNetworks([net(4097, B)]);
  b.setNetworks([net(4097, A)]);
  return { a, b };
}

function sealOk(ch: CryptoChannel, d: Uint8Array, peer: string, now = 0): Uint8Array {
  const s = ch.seal(d, peer, now);
  if (!s.ok) throw new Error(`seal failed: ${s.reason}`);
  return s.datagram;
}

describe('CryptoChannel', () => {
  it('seals a VXLAN datagram that only the peer opens, with no clear text on the wire', () => {
    const { a, b } = pair();
    const plain = vxlan(4097, 'MARKER-secret-payload');
    const sealed = sealOk(a, plain, B);
    expect(sealed.length).toBe(plain.length + SEAL_OVERHEAD_BYTES);
    expect(Buffer.from(sealed).includes('MARKER')).toBe(false);
    const opened = b.open(sealed, A);
    expect(opened).toEqual({ ok: true, vxlan: plain });
  });

  it('drops a replayed datagram, a tampered one and one from an unknown peer', () => {
    const { a, b } = pair();
    const sealed = sealOk(a, vxlan(4097, 'x'), B);
    expect(b.open(sealed, A).ok).toBe(true);
    expect(b.open(sealed, A)).toEqual({ ok: false, reason: 'replay' });
    const tampered = sealOk(a, vxlan(4097, 'y'), B);
    tampered[HEADER_BYTES + 3] = (tampered[HEADER_BYTES + 3] ?? 0) ^ 1;
    expect(b.open(tampered, A)).toEqual({ ok: false, reason: 'auth-failed' });
    const header = sealOk(a, vxlan(4097, 'z'), B);
    header[4] = 9; // key id 9 is not held
    expect(b.open(header, A)).toEqual({ ok: false, reason: 'no-key' });
    expect(b.open(sealOk(a, vxlan(4097, 'w'), B), '10.99.0.13')).toEqual({ ok: false, reason: 'unknown-peer' });
  });

  it('a datagram sealed for B cannot be opened by C, nor passed off as sent by C', () => {
    const a = new CryptoChannel(nodeAead, new Uint8Array(8).fill(1), A);
    a.setNetworks([{ vni: 5, keys: [{ id: 1, key: key1, sendFrom: 0 }], peers: new Set([B, '10.99.0.13']) }]);
    const c = new CryptoChannel(nodeAead, new Uint8Array(8).fill(3), '10.99.0.13');
    c.setNetworks([{ vni: 5, keys: [{ id: 1, key: key1, sendFrom: 0 }], peers: new Set([A, B]) }]);
    const b = new CryptoChannel(nodeAead, new Uint8Array(8).fill(2), B);
    b.setNetworks([{ vni: 5, keys: [{ id: 1, key: key1, sendFrom: 0 }], peers: new Set([A, '10.99.0.13']) }]);
    const forB = sealOk(a, vxlan(5, 'to B'), B);
    expect(c.open(forB, A)).toEqual({ ok: false, reason: 'auth-failed' });
    expect(b.open(forB, '10.99.0.13')).toEqual({ ok: false, reason: 'auth-failed' });
    expect(b.open(forB, A).ok).toBe(true);
  });

  it('drops a datagram of a network the node does not hold, and plain VXLAN of another VNI inside', () => {
    const { a, b } = pair();
    expect(a.seal(vxlan(4098, 'x'), B, 0)).toEqual({ ok: false, reason: 'unknown-network' });
    expect(a.seal(new Uint8Array(4), B, 0)).toEqual({ ok: false, reason: 'not-vxlan' });
    // A node holding keys of network 4097 seals a frame claiming VNI 4098 inside: refused on open.
    a.setNetworks([net(4097, B)]);
    const inner = vxlan(4098, 'smuggled');
    const forged = sealOk(a, vxlan(4097, 'x'), B);
    expect(forged.length).toBeGreaterThan(0);
    const evil = new CryptoChannel(
      {
        ...nodeAead,
        seal: (k, n, aad, _plain, out, off) => nodeAead.seal(k, n, aad, inner.subarray(0, 9), out, off),
      },
      new Uint8Array(8).fill(4),
      A,
    );
    evil.setNetworks([net(4097, B)]);
    expect(b.open(sealOk(evil, vxlan(4097, 'x'), B), A)).toEqual({ ok: false, reason: 'vni-mismatch' });
  });

  it('a restarted sender (new session) starts its counter again without being taken for a replay', () => {
    const { a, b } = pair(7);
    expect(b.open(sealOk(a, vxlan(4097, '1'), B), A).ok).toBe(true);
    const restarted = new CryptoChannel(nodeAead, new Uint8Array(8).fill(8), A);
    restarted.setNetworks([net(4097, B)]);
    const again = sealOk(restarted, vxlan(4097, '1'), B);
    expect(decodeHeader(again)).toMatchObject({ counter: 0n });
    expect(b.open(again, A).ok).toBe(true);
  });

  it('rotation: senders move to the new key at sendFrom; the receiver opens both during the overlap', () => {
    const keys = [
      { id: 1, key: key1, sendFrom: 0 },
      { id: 2, key: key2, sendFrom: 1_000 },
    ];
    const a = new CryptoChannel(nodeAead, new Uint8Array(8).fill(1), A);
    const b = new CryptoChannel(nodeAead, new Uint8Array(8).fill(2), B);
    a.setNetworks([net(6, B, keys)]);
    b.setNetworks([net(6, A, keys)]);
    const before = sealOk(a, vxlan(6, 'old'), B, 999);
    const after = sealOk(a, vxlan(6, 'new'), B, 1_000);
    expect(decodeHeader(before)).toMatchObject({ keyId: 1 });
    expect(decodeHeader(after)).toMatchObject({ keyId: 2 });
    expect(b.open(after, A).ok).toBe(true);
    expect(b.open(before, A).ok).toBe(true); // late datagram under the previous key
    b.setNetworks([net(6, A, [keys[1]!])]); // the old key is gone from the table
    expect(b.open(sealOk(a, vxlan(6, 'old'), B, 0), A)).toEqual({ ok: false, reason: 'no-key' });
  });

  it('keeps at most MAX_STREAMS_PER_PEER receive streams per peer', () => {
    const b = new CryptoChannel(nodeAead, new Uint8Array(8).fill(2), B);
    b.setNetworks([net(6, A)]);
    for (let s = 0; s < MAX_STREAMS_PER_PEER + 5; s++) {
      const a = new CryptoChannel(nodeAead, new Uint8Array(8).fill(s + 10), A);
      a.setNetworks([net(6, B)]);
      expect(b.open(sealOk(a, vxlan(6, 'x'), B), A).ok).toBe(true);
    }
    const streams = (b as unknown as { streams: Map<string, Map<string, unknown>> }).streams;
    expect(streams.get(A)?.size).toBe(MAX_STREAMS_PER_PEER);
  });
});

describe('sendKeyOf', () => {
  it('is the newest key whose sendFrom has come, else the oldest', () => {
    const n = net(1, B, [
      { id: 3, key: key1, sendFrom: 500 },
      { id: 4, key: key2, sendFrom: 900 },
    ]);
    expect(sendKeyOf(n, 100)?.id).toBe(3);
    expect(sendKeyOf(n, 600)?.id).toBe(3);
    expect(sendKeyOf(n, 900)?.id).toBe(4);
    expect(sendKeyOf(net(1, B, []), 0)).toBeUndefined();
  });
});

describe('ReplayWindow', () => {
  it('accepts each counter once, out of order within the window, and nothing older', () => {
    const w = new ReplayWindow();
    expect(w.mark(5n)).toBe(true);
    expect(w.mark(3n)).toBe(true);
    expect(w.mark(5n)).toBe(false);
    expect(w.mark(3n)).toBe(false);
    expect(w.mark(4n)).toBe(true);
    expect(w.mark(BigInt(REPLAY_WINDOW) + 10n)).toBe(true);
    expect(w.check(9n)).toBe(false); // fell out of the window
    expect(w.check(BigInt(REPLAY_WINDOW) + 9n)).toBe(true);
    expect(w.mark(BigInt(REPLAY_WINDOW) + 9n)).toBe(true);
    expect(w.mark(BigInt(REPLAY_WINDOW) + 9n)).toBe(false);
  });

  it('a slot reused after the window moved is free again', () => {
    const w = new ReplayWindow();
    expect(w.mark(1n)).toBe(true);
    expect(w.mark(1n + BigInt(REPLAY_WINDOW))).toBe(true); // same bit position as 1
    expect(w.mark(2n + BigInt(REPLAY_WINDOW))).toBe(true);
    expect(w.mark(1n + BigInt(REPLAY_WINDOW))).toBe(false);
  });
});
