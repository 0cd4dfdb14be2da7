import { ERROR_CODES, ShoalError, failedPrecondition, newId, type Clock, type Node, type NodeRole, type Rng } from '@shoal/common';
import { unaryHandler, type NodeCAHandlers } from '@shoal/common/rpc';
import type { Store } from '../../store/types.js';
import { managerAddrs } from '../../manager-addrs.js';
import { roleForJoinToken } from '../join-token.js';
import { issueNodeCertificate } from './issue-node-certificate.js';
import { peerIdentity } from './peer-identity.js';
import { checkJoinFields } from '../../dispatcher/check-worker-input.js';

export interface NodeCAOptions {
  store: Store;
  clock: Clock;
  rng: Rng;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

function cluster(store: Store) {
  const c = store.view().list('clusters')[0];
  if (!c?.rootCA || !c.joinTokens) throw failedPrecondition('this swarm has no certificate authority yet');
  return c as typeof c & { rootCA: NonNullable<typeof c.rootCA>; joinTokens: NonNullable<typeof c.joinTokens> };
}

/**
 * The NodeCA service: the root certificate for anyone (a joiner pins it against its token), a
 * certificate for a node that presents a valid join token, and renewal for a node that presents
 * its current certificate. Joining creates the node in the store; its role comes from the token.
 */
export function nodeCAHandlers(o: NodeCAOptions): NodeCAHandlers {
  return {
    GetRootCACertificate: unaryHandler(async () => ({ certPem: cluster(o.store).rootCA.certPem })),
    IssueNodeCertificate: unaryHandler(async (req) => {
      const c = cluster(o.store);
      const role: NodeRole = roleForJoinToken(req.token, c.joinTokens);
      const { hostname, addr } = checkJoinFields(req.hostname, req.advertiseAddr);
      const nodeId = newId(o.rng);
      const certPem = await issueNodeCertificate({
        csrPem: req.csrPem, nodeId, role, clusterId: c.id, root: c.rootCA, now: o.clock.now(), lifetimeMs: c.spec.nodeCertLifetimeMs,
      });
      await o.store.update((tx) => tx.create('nodes', newNode(nodeId, role, hostname, addr)));
      o.log('node joined', { nodeId, hostname, addr, role });
      return { certPem, nodeId, role, clusterId: c.id, managers: managerAddrs(o.store.view()) };
    }),
    RenewNodeCertificate: unaryHandler(async (req, call) => {
      const who = peerIdentity(call);
      const c = cluster(o.store);
      const node = o.store.view().get('nodes', who.nodeId);
      if (!node) throw new ShoalError(ERROR_CODES.PERMISSION_DENIED, `node ${who.nodeId} is not a member of this swarm`);
      const certPem = await issueNodeCertificate({
        csrPem: req.csrPem, nodeId: node.id, role: node.spec.role, clusterId: c.id, root: c.rootCA, now: o.clock.now(), lifetimeMs: c.spec.nodeCertLifetimeMs,
      });
      return { certPem, nodeId: node.id, role: node.spec.role, clusterId: c.id, managers: managerAddrs(o.store.view()) };
    }),
  };
}

function newNode(id: string, role: NodeRole, hostname: string, addr: string): Omit<Node, 'meta'> {
  return {
    id,
    spec: { annotations: { name: '', labels: {} }, role, availability: 'active' },
    description: { hostname, platform: { os: '', architecture: '' }, resources: { nanoCpus: 0, memoryBytes: 0 }, engineVersion: '', engineLabels: {} },
    status: { state: 'unknown', message: 'joined; waiting for its agent', addr },
  };
}
