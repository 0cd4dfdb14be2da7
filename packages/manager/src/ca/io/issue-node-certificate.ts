import type { webcrypto } from 'node:crypto';
import { invalidArgument, type NodeRole } from '@shoal/common';
import { nodeSubject } from '../node-identity.js';
import { issuanceWindow, NODE_CERT_LIFETIME_MS } from '../validity.js';
import { importSigningKey } from './keys.js';
import { randomSerialNumber } from './random.js';
import { SIGNING_ALGORITHM, parseCertificate, x509 } from './x509.js';

export interface IssueNodeCertificateParams {
  csrPem: string;
  nodeId: string;
  role: NodeRole;
  clusterId: string;
  root: { certPem: string; keyPem: string };
  /** Milliseconds since the epoch. */
  now: number;
  /** Default 90 days. */
  lifetimeMs?: number;
}

/** Parses the CSR and checks its self-signature (the requester holds the key) and its key type. */
async function readCsr(csrPem: string): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw invalidArgument('invalid certificate signing request: not a PEM PKCS#10 request');
  }
  const algorithm = csr.publicKey.algorithm as webcrypto.EcKeyAlgorithm;
  if (algorithm.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256') {
    throw invalidArgument('invalid certificate signing request: the key must be ECDSA P-256');
  }
  if (!(await signatureHolds(csr))) throw invalidArgument('invalid certificate signing request: bad signature');
  return csr;
}

/** A corrupt key or signature makes WebCrypto throw rather than return false. */
async function signatureHolds(csr: x509.Pkcs10CertificateRequest): Promise<boolean> {
  try {
    return await csr.verify();
  } catch {
    return false;
  }
}

function nodeExtensions(nodeId: string): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: nodeId }]),
  ];
}

/**
 * Signs a node certificate with the root key. The identity comes from the parameters (the
 * manager decides it), never from the CSR's subject: CN = nodeId, OU = swarm-manager|swarm-worker,
 * O = clusterId, SAN DNS nodeId, serverAuth + clientAuth. Returns the certificate PEM.
 */
export async function issueNodeCertificate(params: IssueNodeCertificateParams): Promise<string> {
  const { nodeId, role, clusterId } = params;
  const subject = nodeSubject({ nodeId, role, clusterId });
  const csr = await readCsr(params.csrPem);
  const rootCert = parseCertificate(params.root.certPem, 'the root CA certificate');
  const signingKey = await importSigningKey(params.root.keyPem);
  const window = issuanceWindow(params.now, params.lifetimeMs ?? NODE_CERT_LIFETIME_MS);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject,
    issuer: rootCert.subjectName,
    notBefore: new Date(window.notBefore),
    notAfter: new Date(window.notAfter),
    publicKey: csr.publicKey,
    signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      ...nodeExtensions(nodeId),
      await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootCert.publicKey),
    ],
  });
  return cert.toString('pem');
}
