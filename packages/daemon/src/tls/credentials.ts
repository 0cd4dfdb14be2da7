import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import type { NodeCerts } from './node-certs.js';

/** Nodes call managers only: the server's certificate must be a manager's of this cluster. */
function managerOnly(_host: string, cert: PeerCertificate): Error | undefined {
  const ou = cert.subject?.OU;
  const units = Array.isArray(ou) ? ou : [ou];
  return units.includes('swarm-manager') ? undefined : new Error('the server is not a manager of this swarm');
}

/** Mutual TLS to a manager with the node's certificate. */
export function nodeClientCredentials(certs: NodeCerts): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(certs.rootCertPem), Buffer.from(certs.keyPem), Buffer.from(certs.certPem), {
    checkServerIdentity: managerOnly,
  });
}

/** A joining node, before it has a certificate, once it has pinned the root from its token. */
export function pinnedRootCredentials(rootCertPem: string): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(rootCertPem), null, null, { checkServerIdentity: managerOnly });
}

/**
 * Only to fetch the root certificate that the token's digest then pins: nothing secret is sent
 * over this channel, and nothing from it is trusted until the digest matches.
 */
export function unverifiedCredentials(): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false });
}
