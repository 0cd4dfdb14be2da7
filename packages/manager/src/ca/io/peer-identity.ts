import type * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, ShoalError } from '@shoal/common';
import { identityFromSubject, type NodeIdentity } from '../node-identity.js';
import { subjectFields } from './verify-node-certificate.js';
import { x509 } from './x509.js';

/** Anything grpc-js hands a server handler (unary, streaming): all of them have getAuthContext(). */
export type CallWithAuthContext = Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext'>;

/**
 * Identities of the certificates seen lately, by their DER bytes (base64). Parsing a certificate
 * costs about a millisecond and every call (each Raft message, each status batch) presents one,
 * so the profile of a converging cluster showed it among the top costs. A certificate's identity
 * never changes, so the cache needs no expiry, only a bound.
 */
const MAX_CACHED_PEERS = 1_024;
const known = new Map<string, Readonly<NodeIdentity>>();

/**
 * The identity of the node on the other end of a mutual-TLS call. grpc-js (≥ 1.10) fills
 * getAuthContext().sslPeerCertificate only when Node's TLS socket authorized the peer, i.e. its
 * chain was verified against the server's root CA and it is within its validity window at the
 * handshake. Callers still have to check that the node has not been removed from the swarm.
 * The returned object is frozen: one certificate gives one shared identity.
 */
export function peerIdentity(call: CallWithAuthContext): Readonly<NodeIdentity> {
  const peer = call.getAuthContext()?.sslPeerCertificate;
  if (!peer?.raw) throw new ShoalError(ERROR_CODES.UNAUTHENTICATED, 'the caller presented no verified node certificate');
  const key = Buffer.from(peer.raw).toString('base64');
  const cached = known.get(key);
  if (cached) return cached;
  const cert = new x509.X509Certificate(new Uint8Array(peer.raw));
  const identity = Object.freeze(identityFromSubject(subjectFields(cert.subjectName)));
  if (known.size >= MAX_CACHED_PEERS) known.delete(known.keys().next().value!);
  known.set(key, identity);
  return identity;
}
