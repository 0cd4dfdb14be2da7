/**
 * The cryptography the sealing core needs, injected so that the core stays pure (io/node-aead.ts
 * is the real one: AES-256-GCM and HKDF-SHA256 from node:crypto).
 */
export interface AeadSuite {
  /** HKDF-SHA256 → 32 bytes. */
  deriveKey(ikm: Uint8Array, salt: Uint8Array, info: string): Uint8Array;
  /** AES-256-GCM: writes ciphertext and the 16-byte tag into `out` at `offset`; returns bytes written. */
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array, out: Uint8Array, offset: number): number;
  /** The plaintext, or null when authentication fails. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;
}
