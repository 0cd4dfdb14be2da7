import { assertValidNodeId } from '../node-identity.js';
import { exportPrivateKeyPem, generateKeyPair } from './keys.js';
import { SIGNING_ALGORITHM, x509 } from './x509.js';

export interface NodeKeyAndCSR {
  keyPem: string;
  csrPem: string;
}

/** The joining node makes its own ECDSA P-256 key; only the CSR (public key + proof of possession) leaves it. */
export async function createNodeKeyAndCSR(params: { nodeId: string }): Promise<NodeKeyAndCSR> {
  assertValidNodeId(params.nodeId);
  const keys = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [params.nodeId] }],
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
  });
  return { keyPem: await exportPrivateKeyPem(keys.privateKey), csrPem: csr.toString('pem') };
}
