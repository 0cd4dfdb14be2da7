import type * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, ShoalError } from '@shoal/common';
import { IdentityCache } from '../identity-cache.js';
import { identityFromSubject, type NodeIdentity } from '../node-identity.js';
import { subjectFields } from './verify-node-certificate.js';
import { x509 } from './x509.js';

/** Anything grpc-js hands a server handler (unary, streaming): all of them have getAuthContext(). */
export type CallWithAuthContext = Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext'>;

/**
 * The identity of the node on the other end of a mutual-TLS call. grpc-js (≥ 1.10) fills
 * getAuthContext().sslPeerCertificate only when Node's TLS socket authorized the peer, i.e. its
 * chain was verified against the server's root CA and it is within its validity window at the
 * handshake. Callers still have to check that the node has not been removed from the swarm.
 */
export function peerIdentity(call: CallWithAuthContext): NodeIdentity {
  const peer = call.getAuthContext()?.sslPeerCertificate;
  if (!peer?.raw) throw new ShoalError(ERROR_CODES.UNAUTHENTICATED, 'the caller presented no verified node certificate');
  const der = peer.raw.toString('base64');
  const known = identities.get(der);
  if (known) return known;
  const cert = new x509.X509Certificate(new Uint8Array(peer.raw));
  const identity = Object.freeze(identityFromSubject(subjectFields(cert.subjectName)));
  identities.set(der, identity);
  return identity;
}

/** Shared by every service of the process: the same certificates call all of them. */
const identities = new IdentityCache();
