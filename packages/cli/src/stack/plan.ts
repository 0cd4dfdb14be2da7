import { isDynamicPort, LABEL_STACK, type Service, type ServiceSpec } from '@shoal/common';
import { specEqual } from './spec-equal.js';

export type StackAction =
  | { kind: 'create'; name: string; spec: ServiceSpec }
  | { kind: 'update'; name: string; spec: ServiceSpec; service: Service }
  | { kind: 'unchanged'; name: string; service: Service }
  | { kind: 'remove'; name: string; service: Service };

/**
 * What `stack deploy` does to each service: create the new ones, update the changed ones, leave
 * the unchanged ones alone and, with `prune`, remove the stack's services no longer in the files.
 * The stored force-update counter is kept (as Docker does) so a deploy does not restart tasks a
 * `service update --force` restarted.
 */
/**
 * An ingress port the file publishes without a number (`"80"`) as the managers numbered it
 * (30000-32767, kept across updates: the same rule as the managers' assignPublishedPorts), so
 * that re-deploying the same file leaves it unchanged. A port the file used to give a number
 * outside that range is a change.
 */
function withNumberedPorts(endpoint: ServiceSpec['endpoint'], stored: ServiceSpec['endpoint']): ServiceSpec['endpoint'] {
  const ports = endpoint.ports.map((p) => {
    if (p.publishMode !== 'ingress' || p.publishedPort !== 0) return p;
    const numbered = stored.ports.find((q) => q.publishMode === 'ingress' && q.targetPort === p.targetPort && q.protocol === p.protocol && isDynamicPort(q.publishedPort));
    return numbered ? { ...p, publishedPort: numbered.publishedPort } : p;
  });
  return { ...endpoint, ports };
}

export function computeStackPlan(stack: string, desired: readonly ServiceSpec[], existing: readonly Service[], prune: boolean): StackAction[] {
  const byName = new Map(existing.map((s) => [s.spec.annotations.name, s]));
  const actions: StackAction[] = [];
  for (const spec of [...desired].sort((a, b) => cmp(a.annotations.name, b.annotations.name))) {
    const name = spec.annotations.name;
    const service = byName.get(name);
    if (!service) {
      actions.push({ kind: 'create', name, spec });
      continue;
    }
    const wanted: ServiceSpec = { ...spec, task: { ...spec.task, forceUpdate: service.spec.task.forceUpdate }, endpoint: withNumberedPorts(spec.endpoint, service.spec.endpoint) };
    actions.push(specEqual(wanted, service.spec) ? { kind: 'unchanged', name, service } : { kind: 'update', name, spec: wanted, service });
  }
  if (prune) {
    const names = new Set(desired.map((s) => s.annotations.name));
    const stale = existing.filter((s) => s.spec.annotations.labels[LABEL_STACK] === stack && !names.has(s.spec.annotations.name));
    for (const service of stale.sort((a, b) => cmp(a.spec.annotations.name, b.spec.annotations.name))) {
      actions.push({ kind: 'remove', name: service.spec.annotations.name, service });
    }
  }
  return actions;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Docker's wording for each step of a deploy. */
export function describeAction(action: StackAction): string {
  switch (action.kind) {
    case 'create':
      return `Creating service ${action.name}`;
    case 'update':
      return `Updating service ${action.name} (id: ${action.service.id})`;
    case 'remove':
      return `Removing service ${action.name}`;
    case 'unchanged':
      // Docker says "Updating service" even then; shoal leaves it alone and says so.
      return `Service ${action.name} is unchanged`;
  }
}
