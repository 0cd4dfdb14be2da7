const DIGITS = 36;

/** The number of base-36 characters needed for any value of `byteLength` bytes. */
export function base36Length(byteLength: number): number {
  const max = (1n << BigInt(byteLength * 8)) - 1n;
  return max.toString(DIGITS).length;
}

/** Renders bytes as a big-endian unsigned number in lower-case base 36, zero padded to a fixed length. */
export function bytesToBase36(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value.toString(DIGITS).padStart(base36Length(bytes.length), '0');
}
