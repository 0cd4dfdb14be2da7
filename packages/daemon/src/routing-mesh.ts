import { MAX_INGRESS_MESSAGE, type IngressReport } from '@shoal/common';
import { probeMeshReply, selectIngressBackend, type ClientAddressMode, type IngressBackend, type IngressBackendFlag, type MeshReplyMode } from '@shoal/worker';

/** What shoald decided about its routing mesh at start, before it joins or serves anything. */
export interface RoutingMesh {
  /** Programs the node's published-port rules (the agent's IngressProgrammer). */
  backend: IngressBackend;
  /** What the node reports in its description (`node inspect`). */
  report: IngressReport;
  /** Whether task namespaces get the reply path (MeshReply), and why not. */
  reply: MeshReplyMode;
}

/**
 * Probes for real: whether replies can go back through the node that took a connection (else
 * every backend source-NATs, and the report says why), then the backend (`flag`; an explicit
 * backend that does not work throws one line for shoald's start). `clientAddress` overrides the
 * probe (tests).
 */
export async function chooseRoutingMesh(flag: IngressBackendFlag, clientAddress?: ClientAddressMode): Promise<RoutingMesh> {
  const reply: MeshReplyMode = clientAddress ? { clientAddress, reason: 'chosen by the caller' } : await probeMeshReply();
  const { backend, report } = await selectIngressBackend(flag, { clientAddress: reply.clientAddress, nftNetns: '/proc/self/ns/net' });
  return { backend, reply, report: reply.clientAddress === 'snat' ? withReason(report, reply.reason) : report };
}

/** The report with `reason` added to its message (bounded like every message a worker sends). */
function withReason(report: IngressReport, reason: string): IngressReport {
  const message = [report.message, reason].filter(Boolean).join('; ').slice(0, MAX_INGRESS_MESSAGE);
  return { ...report, message };
}
