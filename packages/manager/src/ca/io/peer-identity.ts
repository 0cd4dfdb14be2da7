import type * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, ShoalError } from '@shoal/common';
import { identityFromSubject, type NodeIdentity } from '../node-identity.js';
import { subjectFields } from './verify-node-certificate.js';
import { x509 } from './x509.js';

/** Anything grpc-js hands a server handler (unary, streaming): all of them have getAuthContext(). */
export type CallWithAuthContext = Pick<grpc.ServerUnaryCall<unknown, unknown>, 'getAuthContext'>;

/**
 * Identities of the certificates seen lately, by SHA-256 fingerprint: parsing a certificate (ASN.1)
 * on every heartbeat and status call of every node was the leader's top cost with 1,000 nodes.
 * The identity is a function of the certificate's bytes, so a hit is always right; the map is
 * bounded (cleared when full: a cluster has far fewer live certificates than this).
 */
const MAX_CACHED_IDENTITIES = 20_000;
const byFingerprint = new Map<string, NodeIdentity>();
/** One call asks several times (the edge guard, then the dispatcher): its answer is kept with it. */
const byCall = new WeakMap<CallWithAuthContext, NodeIdentity>();

/**
 * The identity of the node on the other end of a mutual-TLS call. grpc-js (≥ 1.10) fills
 * getAuthContext().sslPeerCertificate only when Node's TLS socket authorized the peer, i.e. its
 * chain was verified against the server's root CA and it is within its validity window at the
 * handshake. Callers still have to check that the node has not been removed from the swarm.
 */
export function peerIdentity(call: CallWithAuthContext): NodeIdentity {
  const known = byCall.get(call);
  if (known) return known;
  const peer = call.getAuthContext()?.sslPeerCertificate;
  if (!peer?.raw) throw new ShoalError(ERROR_CODES.UNAUTHENTICATED, 'the caller presented no verified node certificate');
  const key = peer.fingerprint256 ? `${peer.fingerprint256}/${peer.raw.length}` : undefined;
  let identity = key === undefined ? undefined : byFingerprint.get(key);
  if (!identity) {
    const cert = new x509.X509Certificate(new Uint8Array(peer.raw));
    identity = identityFromSubject(subjectFields(cert.subjectName));
    if (key !== undefined) {
      if (byFingerprint.size >= MAX_CACHED_IDENTITIES) byFingerprint.clear();
      byFingerprint.set(key, identity);
    }
  }
  byCall.set(call, identity);
  return identity;
}
