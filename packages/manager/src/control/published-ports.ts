import { DYNAMIC_PORT_FIRST, DYNAMIC_PORT_LAST, isDynamicPort, resourceExhausted, type PortConfig, type Service, type ServiceSpec } from '@shoal/common';

const keyOf = (port: number, protocol: string) => `${port}/${protocol}`;
const isIngress = (p: PortConfig) => p.publishMode === 'ingress';

/** `port/protocol` of every ingress port the services publish. */
export function publishedKeys(services: readonly Service[]): Set<string> {
  const keys = new Set<string>();
  for (const s of services) for (const p of s.spec.endpoint.ports) if (isIngress(p) && p.publishedPort > 0) keys.add(keyOf(p.publishedPort, p.protocol));
  return keys;
}

/**
 * The spec with a number for every ingress port published without one: the port the service
 * already had for that target and protocol (an update, a re-deploy of the same compose file,
 * keeps it), else the lowest free one of DYNAMIC_PORT_FIRST..LAST, as Docker does. `taken`
 * holds the other services' ports (`port/protocol`). Pure; the store checks again at apply time.
 */
export function assignPublishedPorts(spec: ServiceSpec, taken: ReadonlySet<string>, previous?: ServiceSpec): ServiceSpec {
  if (!spec.endpoint.ports.some((p) => isIngress(p) && p.publishedPort === 0)) return spec;
  const used = new Set(taken);
  for (const p of spec.endpoint.ports) if (isIngress(p) && p.publishedPort > 0) used.add(keyOf(p.publishedPort, p.protocol));
  const ports = spec.endpoint.ports.map((p) => {
    if (!isIngress(p) || p.publishedPort > 0) return p;
    const publishedPort = kept(p, previous, used) ?? lowestFree(p.protocol, used, spec.annotations.name);
    used.add(keyOf(publishedPort, p.protocol));
    return { ...p, publishedPort };
  });
  return { ...spec, endpoint: { ...spec.endpoint, ports } };
}

function kept(p: PortConfig, previous: ServiceSpec | undefined, used: ReadonlySet<string>): number | undefined {
  const before = previous?.endpoint.ports.find((q) => isIngress(q) && q.targetPort === p.targetPort && q.protocol === p.protocol && isDynamicPort(q.publishedPort));
  return before && !used.has(keyOf(before.publishedPort, p.protocol)) ? before.publishedPort : undefined;
}

function lowestFree(protocol: string, used: ReadonlySet<string>, service: string): number {
  for (let port = DYNAMIC_PORT_FIRST; port <= DYNAMIC_PORT_LAST; port++) if (!used.has(keyOf(port, protocol))) return port;
  throw resourceExhausted(`service ${service}: no free ingress port left in ${DYNAMIC_PORT_FIRST}-${DYNAMIC_PORT_LAST}`);
}
