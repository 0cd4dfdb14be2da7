import type { Node, PortConfig, Service, Task } from '@shoal/common';
import { LABEL_STACK } from '@shoal/common';
import { shortId } from './human.js';
import type { Column, Listing } from './listing.js';

/** `*:8080->80/tcp` for each published port (host mode: the same form, as `service ps` shows it). */
export function formatPorts(ports: readonly PortConfig[]): string {
  return ports.map((p) => `*:${p.publishedPort || ''}->${p.targetPort}/${p.protocol}`).join(', ');
}

/** The replicas cell: `running/desired`, desired being the replicas or, for a global service, the tasks meant to run. */
export function replicasCell(service: Service, tasks: readonly Task[]): string {
  const own = tasks.filter((t) => t.serviceId === service.id);
  const running = own.filter((t) => t.status.state === 'running' && t.desiredState === 'running').length;
  const mode = service.spec.mode;
  const desired = mode.kind === 'replicated' ? mode.replicas : own.filter((t) => t.desiredState === 'running').length;
  const max = service.spec.task.placement.maxReplicasPerNode;
  return `${running}/${desired}${mode.kind === 'replicated' && max > 0 ? ` (max ${max} per node)` : ''}`;
}

export interface ServiceRow {
  service: Service;
  replicas: string;
}

export function serviceRows(services: readonly Service[], tasks: readonly Task[]): ServiceRow[] {
  return [...services]
    .sort((a, b) => a.spec.annotations.name.localeCompare(b.spec.annotations.name))
    .map((service) => ({ service, replicas: replicasCell(service, tasks) }));
}

const columns: Column<ServiceRow>[] = [
  { header: 'ID', key: 'ID', value: (r) => shortId(r.service.id) },
  { header: 'NAME', key: 'Name', value: (r) => r.service.spec.annotations.name },
  { header: 'MODE', key: 'Mode', value: (r) => r.service.spec.mode.kind },
  { header: 'REPLICAS', key: 'Replicas', value: (r) => r.replicas },
  { header: 'IMAGE', key: 'Image', value: (r) => r.service.spec.task.container.image },
  // Like `docker service ls`, only ingress ports: host-mode ports show per task in `service ps`.
  { header: 'PORTS', key: 'Ports', value: (r) => formatPorts(r.service.spec.endpoint.ports.filter((p) => p.publishMode === 'ingress')) },
];

export const serviceListing: Listing<ServiceRow> = { columns, id: (r) => r.service.id };

export interface StackRow {
  name: string;
  services: number;
}

/** Stacks are the distinct `io.shoal.stack` labels of the services, sorted by name. */
export function stackRows(services: readonly Service[]): StackRow[] {
  const counts = new Map<string, number>();
  for (const s of services) {
    const stack = s.spec.annotations.labels[LABEL_STACK];
    if (stack) counts.set(stack, (counts.get(stack) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => ({ name, services: n }));
}

export const stackListing: Listing<StackRow> = {
  columns: [
    { header: 'NAME', key: 'Name', value: (r) => r.name },
    { header: 'SERVICES', key: 'Services', value: (r) => String(r.services) },
  ],
  id: (r) => r.name,
};

/** Hostnames by node ID, for the NODE column of task listings. */
export function hostnames(nodes: readonly Node[]): Map<string, string> {
  return new Map(nodes.map((n) => [n.id, n.description.hostname]));
}
