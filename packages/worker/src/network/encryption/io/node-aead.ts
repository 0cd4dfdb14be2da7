import { createCipheriv, createDecipheriv, getCiphers, hkdfSync, randomBytes } from 'node:crypto';
import type { AeadSuite } from '../aead.js';
import { SESSION_BYTES, TAG_BYTES } from '../wire-format.js';

const CIPHER = 'aes-256-gcm';

/** AES-256-GCM and HKDF-SHA256 from Node's OpenSSL (userspace: this kernel has no ESP, no WireGuard). */
export const nodeAead: AeadSuite = {
  deriveKey(ikm, salt, info) {
    return new Uint8Array(hkdfSync('sha256', ikm, salt, info, 32));
  },
  seal(key, nonce, aad, plain, out, offset) {
    const cipher = createCipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const body = cipher.update(plain);
    const tail = cipher.final();
    out.set(body, offset);
    out.set(tail, offset + body.length);
    const tag = cipher.getAuthTag();
    out.set(tag, offset + body.length + tail.length);
    return body.length + tail.length + tag.length;
  },
  open(key, nonce, aad, sealed) {
    if (sealed.length < TAG_BYTES) return null;
    const decipher = createDecipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const body = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    try {
      const tail = decipher.final();
      return tail.length === 0 ? new Uint8Array(body.buffer, body.byteOffset, body.length) : new Uint8Array(Buffer.concat([body, tail]));
    } catch {
      return null;
    }
  },
};

/** Why this process cannot seal, or null when it can. */
export function aeadUnavailableReason(): string | null {
  if (!getCiphers().includes(CIPHER)) return `${CIPHER} is not in this Node's OpenSSL`;
  return null;
}

/** A fresh random relay session (see wire-format.ts). */
export function newSession(): Uint8Array {
  return new Uint8Array(randomBytes(SESSION_BYTES));
}
