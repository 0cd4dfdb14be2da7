import { ERROR_CODES, ShoalError } from '@shoal/common';
import { identityFromSubject, type NodeIdentity, type SubjectFields } from '../node-identity.js';
import { assertWithinWindow, type ValidityWindow } from '../validity.js';
import { parseCertificate, x509 } from './x509.js';

export interface VerifiedNodeCertificate extends NodeIdentity, ValidityWindow {}

function unauthenticated(message: string): ShoalError {
  return new ShoalError(ERROR_CODES.UNAUTHENTICATED, message);
}

export function subjectFields(name: x509.Name): SubjectFields {
  return { CN: name.getField('CN'), OU: name.getField('OU'), O: name.getField('O') };
}

function windowOf(cert: x509.X509Certificate): ValidityWindow {
  return { notBefore: cert.notBefore.getTime(), notAfter: cert.notAfter.getTime() };
}

async function assertSignedBy(cert: x509.X509Certificate, root: x509.X509Certificate): Promise<void> {
  const sameIssuer = cert.issuerName.toString() === root.subjectName.toString();
  const signed = sameIssuer && (await cert.verify({ publicKey: root.publicKey, signatureOnly: true }).catch(() => false));
  if (!signed) throw unauthenticated('node certificate was not issued by this swarm\'s CA');
}

/**
 * Checks that a node certificate chains to the root and is valid at `now`, and reads the identity
 * it carries. Every failure is a ShoalError with code UNAUTHENTICATED.
 */
export async function verifyNodeCertificate(certPem: string, rootCertPem: string, now: number): Promise<VerifiedNodeCertificate> {
  const cert = parseCertificate(certPem, 'the node certificate');
  const root = parseCertificate(rootCertPem, 'the root CA certificate');
  await assertSignedBy(cert, root);
  assertWithinWindow(windowOf(root), now, 'the root CA certificate');
  const window = windowOf(cert);
  assertWithinWindow(window, now, 'the node certificate');
  const identity = identityFromSubject(subjectFields(cert.subjectName));
  const [rootCluster] = root.subjectName.getField('O');
  if (identity.clusterId !== rootCluster) throw unauthenticated('node certificate belongs to a different cluster');
  return { ...identity, ...window };
}
