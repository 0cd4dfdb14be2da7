import type { Node, Service, Task } from '@shoal/common';
import { LABEL_STACK, invalidArgument } from '@shoal/common';

/** Docker-style --filter values; several values for one key are comma-separated and OR-ed. */
export type Filters = Record<string, string>;

function values(filters: Filters, key: string): string[] | undefined {
  const v = filters[key];
  return v === undefined || v === '' ? undefined : v.split(',');
}

function labelsMatch(labels: Record<string, string>, wanted: string[] | undefined): boolean {
  if (!wanted) return true;
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? w in labels : labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

function anyMatch(wanted: string[] | undefined, ...candidates: string[]): boolean {
  return !wanted || wanted.some((w) => candidates.some((c) => c === w || (c.length > 0 && c.startsWith(w))));
}

function checkKeys(filters: Filters, allowed: string[]): void {
  for (const key of Object.keys(filters)) {
    if (!allowed.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  }
}

export function filterServices(services: Service[], filters: Filters): Service[] {
  checkKeys(filters, ['id', 'name', 'label', 'stack', 'mode']);
  const stack = values(filters, 'stack');
  return services.filter((s) => {
    const labels = s.spec.annotations.labels;
    return (
      anyMatch(values(filters, 'id'), s.id) &&
      (!values(filters, 'name') || values(filters, 'name')!.some((n) => s.spec.annotations.name.startsWith(n))) &&
      labelsMatch(labels, values(filters, 'label')) &&
      (!stack || stack.includes(labels[LABEL_STACK] ?? '')) &&
      (!values(filters, 'mode') || values(filters, 'mode')!.includes(s.spec.mode.kind))
    );
  });
}

export function filterNodes(nodes: Node[], filters: Filters): Node[] {
  checkKeys(filters, ['id', 'name', 'role', 'label', 'node.label', 'membership']);
  return nodes.filter(
    (n) =>
      anyMatch(values(filters, 'id'), n.id) &&
      (!values(filters, 'name') || values(filters, 'name')!.includes(n.description.hostname)) &&
      (!values(filters, 'role') || values(filters, 'role')!.includes(n.spec.role)) &&
      labelsMatch(n.spec.annotations.labels, values(filters, 'node.label')) &&
      labelsMatch(n.description.engineLabels, values(filters, 'label')),
  );
}

/** `service` and `node` filters take IDs here: the control API resolves names before filtering. */
export function filterTasks(tasks: Task[], filters: Filters): Task[] {
  checkKeys(filters, ['id', 'service', 'node', 'desired-state', 'stack', 'name', 'label']);
  const desired = values(filters, 'desired-state');
  const stack = values(filters, 'stack');
  return tasks.filter(
    (t) =>
      anyMatch(values(filters, 'id'), t.id) &&
      (!values(filters, 'service') || values(filters, 'service')!.includes(t.serviceId)) &&
      (!values(filters, 'node') || values(filters, 'node')!.includes(t.nodeId)) &&
      (!desired || desired.some((d) => desiredMatches(t, d))) &&
      (!stack || stack.includes(t.serviceAnnotations.labels[LABEL_STACK] ?? '')) &&
      labelsMatch(t.serviceAnnotations.labels, values(filters, 'label')),
  );
}

function desiredMatches(t: Task, wanted: string): boolean {
  if (wanted === 'running') return t.desiredState === 'running';
  if (wanted === 'shutdown') return t.desiredState === 'shutdown' || t.desiredState === 'remove';
  if (wanted === 'accepted') return t.desiredState === 'accepted';
  throw invalidArgument(`invalid filter 'desired-state=${wanted}'`);
}
