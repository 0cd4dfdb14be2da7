import type * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, ShoalError } from '@shoal/common';
import { IdentityCache } from '../identity-cache.js';
import { identityFromSubject, type NodeIdentity } from '../node-identity.js';
import { subjectFields } from './verify-node-certificate.js';
import { x509 } from './x509.js';

/** Anything grpc-js hands a server handler (unary, streaming): all of them have getAuthContext(). */
export type CallWithAuthContext = Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext'>;

/**
 * Identities of the certificates seen lately, by SHA-256 fingerprint (and length): parsing a
 * certificate (ASN.1) on every heartbeat, status batch and Raft message was the leader's top cost
 * with 1,000 nodes. The identity is a function of the certificate's bytes, so a hit is always
 * right. Bounded well above the live certificates of a large cluster.
 */
const identities = new IdentityCache(20_000);
/** One call asks several times (the edge guard, then the handler): its answer is kept with it. */
const byCall = new WeakMap<CallWithAuthContext, NodeIdentity>();
/**
 * The TLS front hands every call of a connection the same certificate object (tls-front.ts), so
 * the identity is kept with that object too: no fingerprint key to build on each call.
 */
const byCertificate = new WeakMap<object, NodeIdentity>();

/**
 * The identity of the node on the other end of a mutual-TLS call. grpc-js (≥ 1.10) fills
 * getAuthContext().sslPeerCertificate only when Node's TLS socket authorized the peer, i.e. its
 * chain was verified against the server's root CA and it is within its validity window at the
 * handshake. Callers still have to check that the node has not been removed from the swarm.
 * The returned object is frozen: one certificate gives one shared identity.
 */
export function peerIdentity(call: CallWithAuthContext): NodeIdentity {
  const asked = byCall.get(call);
  if (asked) return asked;
  const peer = call.getAuthContext()?.sslPeerCertificate;
  if (!peer?.raw) throw new ShoalError(ERROR_CODES.UNAUTHENTICATED, 'the caller presented no verified node certificate');
  const known = byCertificate.get(peer);
  if (known) {
    byCall.set(call, known);
    return known;
  }
  const key = peer.fingerprint256 ? `${peer.fingerprint256}/${peer.raw.length}` : peer.raw.toString('base64');
  let identity = identities.get(key);
  if (!identity) {
    const cert = new x509.X509Certificate(new Uint8Array(peer.raw));
    identity = Object.freeze(identityFromSubject(subjectFields(cert.subjectName)));
    identities.set(key, identity);
  }
  byCall.set(call, identity);
  byCertificate.set(peer, identity);
  return identity;
}
