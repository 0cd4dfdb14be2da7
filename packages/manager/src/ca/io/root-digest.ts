import { createHash } from 'node:crypto';
import { bytesToBase36 } from '../base36.js';
import { assertDigestMatches } from '../root-pin.js';
import { pemToDer } from './x509.js';

/** sha256 of the certificate's DER, in fixed-length lower-case base 36: the digest in join tokens. */
export function certificateDigest(certPem: string): string {
  const hash = createHash('sha256').update(pemToDer(certPem)).digest();
  return bytesToBase36(new Uint8Array(hash));
}

/** The joining node's check that the manager's CA is the one its join token pins. */
export function checkRootDigest(rootCertPem: string, digestFromToken: string): void {
  assertDigestMatches(certificateDigest(rootCertPem), digestFromToken);
}
