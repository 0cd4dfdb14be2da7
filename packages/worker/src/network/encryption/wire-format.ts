/**
 * The sealed datagram that crosses the underlay between two nodes' relays (UDP, port
 * ENCRYPTED_RELAY_PORT):
 *
 * ```
 * 0        1                 4                 8                         16                        24
 * | ver=1  | VNI (24 bits)   | key id (u32)    | sender session (8 bytes) | counter (u64)           |
 * | AES-256-GCM ciphertext of the whole VXLAN datagram (VXLAN header + inner frame) ... | tag (16) |
 * ```
 *
 * The 24-byte header is the AEAD's associated data, so none of it can be altered. The session is
 * random per relay process and goes into the key derivation, so a restarted relay whose counter
 * starts again at 0 seals under a new key: a (key, nonce) pair is never used twice.
 */
export const WIRE_VERSION = 1;
export const HEADER_BYTES = 24;
export const TAG_BYTES = 16;
export const SESSION_BYTES = 8;
/** What sealing adds to a VXLAN datagram; the overlay MTU shrinks by as much. */
export const SEAL_OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES;
/** The largest VXLAN datagram a relay takes (a UDP payload, less our overhead). */
export const MAX_PLAIN_BYTES = 65_507 - SEAL_OVERHEAD_BYTES;
/** The VXLAN header: flags(1) reserved(3) VNI(3) reserved(1). */
export const VXLAN_HEADER_BYTES = 8;
export const MAX_VNI = 0xff_ffff;

export interface SealedHeader {
  vni: number;
  keyId: number;
  /** SESSION_BYTES bytes. */
  session: Uint8Array;
  /** 0 ≤ counter < 2^64. */
  counter: bigint;
}

export function encodeHeader(h: SealedHeader, out: Uint8Array): void {
  if (out.length < HEADER_BYTES) throw new Error('assertion failed: header buffer too small');
  if (h.session.length !== SESSION_BYTES) throw new Error('assertion failed: session must be 8 bytes');
  if (!Number.isInteger(h.vni) || h.vni < 0 || h.vni > MAX_VNI) throw new Error(`assertion failed: VNI ${h.vni}`);
  const view = new DataView(out.buffer, out.byteOffset, HEADER_BYTES);
  view.setUint32(0, (WIRE_VERSION << 24) | h.vni);
  view.setUint32(4, h.keyId >>> 0);
  out.set(h.session, 8);
  view.setBigUint64(16, h.counter);
}

/** The header of a received datagram, or a reason to drop it. */
export function decodeHeader(datagram: Uint8Array): SealedHeader | string {
  if (datagram.length < HEADER_BYTES + TAG_BYTES) return 'short';
  const view = new DataView(datagram.buffer, datagram.byteOffset, HEADER_BYTES);
  const first = view.getUint32(0);
  if (first >>> 24 !== WIRE_VERSION) return 'version';
  return {
    vni: first & MAX_VNI,
    keyId: view.getUint32(4),
    session: datagram.subarray(8, 16),
    counter: view.getBigUint64(16),
  };
}

/** The VNI a plain VXLAN datagram carries, or -1 when it is not one. */
export function vxlanVni(datagram: Uint8Array): number {
  if (datagram.length < VXLAN_HEADER_BYTES) return -1;
  if (((datagram[0] ?? 0) & 0x08) === 0) return -1;
  return ((datagram[4] ?? 0) << 16) | ((datagram[5] ?? 0) << 8) | (datagram[6] ?? 0);
}

/** The 12-byte AES-GCM nonce of a counter (4 zero bytes and the counter, big-endian). */
export function nonceOf(counter: bigint): Uint8Array {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, counter);
  return nonce;
}
