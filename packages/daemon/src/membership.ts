import { CLUSTER_CHANNEL_OPTIONS, callUnary, loadProtos, type IssueNodeCertificateReply__Output, type NodeCAClient, type RootCACertificateReply__Output } from '@shoal/common/rpc';
import type * as grpc from '@grpc/grpc-js';
import { ca } from '@shoal/manager';
import type { NodeRole } from '@shoal/common';
import { nodeClientCredentials, pinnedRootCredentials, unverifiedCredentials } from './tls/credentials.js';
import type { NodeCerts } from './tls/node-certs.js';

/** A member's credentials towards the managers (re-exported for hollow nodes, bench/hollow). */
export { nodeClientCredentials };

export interface Membership {
  certs: NodeCerts;
  nodeId: string;
  role: NodeRole;
  clusterId: string;
  managers: string[];
}

function nodeCA(addr: string, creds: grpc.ChannelCredentials): NodeCAClient {
  return new (loadProtos().NodeCA)(addr, creds, CLUSTER_CHANNEL_OPTIONS) as NodeCAClient;
}

async function withClient<T>(addr: string, creds: grpc.ChannelCredentials, fn: (c: NodeCAClient) => Promise<T>): Promise<T> {
  const client = nodeCA(addr, creds);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/**
 * `swarm join`: fetch the manager's root certificate, pin it against the digest in the token
 * (no trust on first use), then — over TLS verified against that root — trade the token and a
 * CSR for this node's certificate. The private key never leaves the node.
 */
export async function requestMembership(o: { remoteAddr: string; token: string; hostname: string; advertiseAddr: string }): Promise<Membership> {
  const { digest } = ca.parseJoinToken(o.token);
  const target = `the manager at ${o.remoteAddr}`;
  const root = await withClient(o.remoteAddr, unverifiedCredentials(), (c) =>
    callUnary<RootCACertificateReply__Output>((opts, cb) => c.GetRootCACertificate({}, opts, cb), target, 10_000),
  );
  ca.checkRootDigest(root.certPem, digest);
  const { keyPem, csrPem } = await ca.createNodeKeyAndCSR({ nodeId: 'joining-node' });
  const reply = await withClient(o.remoteAddr, pinnedRootCredentials(root.certPem), (c) =>
    callUnary<IssueNodeCertificateReply__Output>(
      (opts, cb) => c.IssueNodeCertificate({ token: o.token, csrPem, nodeId: '', hostname: o.hostname, advertiseAddr: o.advertiseAddr }, opts, cb),
      target,
      15_000,
    ),
  );
  return {
    certs: { keyPem, certPem: reply.certPem, rootCertPem: root.certPem },
    nodeId: reply.nodeId,
    role: reply.role as NodeRole,
    clusterId: reply.clusterId,
    managers: reply.managers,
  };
}

/** A new key and certificate for the same identity, asked for with the current certificate. */
export async function renewCertificate(managerAddr: string, current: NodeCerts, nodeId: string): Promise<NodeCerts> {
  const { keyPem, csrPem } = await ca.createNodeKeyAndCSR({ nodeId });
  const reply = await withClient(managerAddr, nodeClientCredentials(current), (c) =>
    callUnary<IssueNodeCertificateReply__Output>((opts, cb) => c.RenewNodeCertificate({ csrPem }, opts, cb), `the manager at ${managerAddr}`, 15_000),
  );
  return { keyPem, certPem: reply.certPem, rootCertPem: current.rootCertPem };
}
