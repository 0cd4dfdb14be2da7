import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { ERROR_CODES, ShoalError } from '@shoal/common';

/** @peculiar/x509 on Node's WebCrypto; every CA file imports x509 from here so the provider is set. */
x509.cryptoProvider.set(webcrypto);

export { x509 };

export const EC_KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
export const SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

/** Parses a PEM certificate; a malformed one is refused with UNAUTHENTICATED naming `what`. */
export function parseCertificate(pem: string, what: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(pem);
  } catch {
    throw new ShoalError(ERROR_CODES.UNAUTHENTICATED, `${what} is not a valid PEM certificate`);
  }
}

/** The DER bytes of the first PEM block. */
export function pemToDer(pem: string): Uint8Array {
  return new Uint8Array(x509.PemConverter.decodeFirst(pem));
}
