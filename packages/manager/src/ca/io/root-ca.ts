import type { RootCA } from '@shoal/common';
import { rootSubject } from '../node-identity.js';
import { rootWindow } from '../validity.js';
import { exportPrivateKeyPem, generateKeyPair } from './keys.js';
import { randomSerialNumber } from './random.js';
import { certificateDigest } from './root-digest.js';
import { SIGNING_ALGORITHM, x509 } from './x509.js';

export type { RootCA };

/** The cluster's root: a self-signed ECDSA P-256 CA, CN shoal-root-ca, O = clusterId, 20 years. */
export async function createRootCA(params: { clusterId: string; now: number }): Promise<RootCA> {
  const subject = rootSubject(params.clusterId);
  const window = rootWindow(params.now);
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: subject,
    notBefore: new Date(window.notBefore),
    notAfter: new Date(window.notAfter),
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString('pem');
  return { certPem, keyPem: await exportPrivateKeyPem(keys.privateKey), digest: certificateDigest(certPem) };
}
