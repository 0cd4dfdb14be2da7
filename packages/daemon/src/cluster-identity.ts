import { ca } from '@shoal/manager';
import type { JoinTokens, RootCA } from '@shoal/common';
import type { NodeCerts } from './tls/node-certs.js';

/** What `swarm init` creates: the root CA, the two join tokens, and the first manager's certificate. */
export async function createClusterIdentity(o: {
  clusterId: string;
  nodeId: string;
  now: number;
  makeToken: (digest: string) => string;
  lifetimeMs: number;
}): Promise<{ rootCA: RootCA; joinTokens: JoinTokens; certs: NodeCerts }> {
  const rootCA = await ca.createRootCA({ clusterId: o.clusterId, now: o.now });
  const joinTokens = { worker: o.makeToken(rootCA.digest), manager: o.makeToken(rootCA.digest) };
  const { keyPem, csrPem } = await ca.createNodeKeyAndCSR({ nodeId: o.nodeId });
  const certPem = await ca.issueNodeCertificate({ csrPem, nodeId: o.nodeId, role: 'manager', clusterId: o.clusterId, root: rootCA, now: o.now, lifetimeMs: o.lifetimeMs });
  return { rootCA, joinTokens, certs: { keyPem, certPem, rootCertPem: rootCA.certPem } };
}
