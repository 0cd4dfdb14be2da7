import { invalidArgument, type HostPort, type Node, type PortConfig, type ServiceSpec } from '@shoal/common';

const sameIngressPort = (a: PortConfig, b: PortConfig) => b.publishMode === 'ingress' && a.publishedPort === b.publishedPort && a.protocol === b.protocol;

/** Ingress ports of `spec` that `previous` did not publish already (an update leaves its own ports alone). */
function newIngressPorts(spec: ServiceSpec, previous: ServiceSpec | undefined): PortConfig[] {
  const old = previous?.endpoint.ports ?? [];
  return spec.endpoint.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort > 0 && !old.some((q) => sameIngressPort(p, q)));
}

function listener(h: HostPort): string {
  if (!h.process) return h.pid > 0 ? `process ${h.pid}` : 'a host process';
  return h.pid > 0 ? `${h.process} (pid ${h.pid})` : h.process;
}

/**
 * The routing mesh takes an ingress port on every node, so a port that a process on a node's host
 * already listens on would be silently taken over from it. Refuse it, naming the node and the
 * listener, as Docker refuses a port that is already allocated. Nodes that are not ready are left
 * out: what they reported may be stale.
 */
export function checkHostPortsFree(spec: ServiceSpec, previous: ServiceSpec | undefined, nodes: readonly Node[]): void {
  const wanted = newIngressPorts(spec, previous);
  if (wanted.length === 0) return;
  for (const node of nodes) {
    if (node.status.state !== 'ready') continue;
    for (const p of wanted) {
      const held = node.hostPorts?.find((h) => h.port === p.publishedPort && h.protocol === p.protocol);
      if (held) {
        const proto = p.protocol === 'tcp' ? '' : `/${p.protocol}`;
        throw invalidArgument(`port ${p.publishedPort}${proto} is already in use on node ${node.description.hostname || node.id} by ${listener(held)}`);
      }
    }
  }
}
