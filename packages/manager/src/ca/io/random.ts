import { randomBytes } from 'node:crypto';

/** Cryptographically secure random bytes: the RandomBytes that real join tokens use. */
export function secureRandomBytes(n: number): Uint8Array {
  return new Uint8Array(randomBytes(n));
}

/** A random positive 128-bit certificate serial number in hex (top bit cleared, so DER keeps it positive). */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}
