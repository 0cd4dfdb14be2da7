import { formatBytes, invalidArgument, utf8Length, type ServiceSpec, type Service } from '@shoal/common';
import { checkServiceNetworks } from './validate-network-spec.js';

/**
 * The most bytes a service spec may take as JSON: environment, labels, command, mounts and the rest
 * together (swarmkit allows 500 KiB for a secret or config). Every task carries a copy of the spec,
 * so this bounds a task too.
 */
export const MAX_SERVICE_SPEC_BYTES = 512 * 1024;

/** Refuses a spec too large to store, before it is parsed. */
export function checkSpecSize(json: string): void {
  // A UTF-16 code unit takes at most 3 bytes in UTF-8: most specs need no counting.
  if (json.length * 3 <= MAX_SERVICE_SPEC_BYTES) return;
  const bytes = utf8Length(json);
  if (bytes > MAX_SERVICE_SPEC_BYTES) {
    throw invalidArgument(`the service spec is ${formatBytes(bytes)}; the limit is ${formatBytes(MAX_SERVICE_SPEC_BYTES)} (environment, labels, command and the rest together)`);
  }
}

/** Refuses more replicas than the cluster allows; the line names the flag that changes the limit. */
export function checkReplicaLimit(spec: ServiceSpec, maxReplicas: number): void {
  if (spec.mode.kind !== 'replicated' || spec.mode.replicas <= maxReplicas) return;
  throw invalidArgument(`service ${spec.annotations.name}: replicas ${spec.mode.replicas} exceeds the cluster limit of ${maxReplicas} (shoal swarm update --max-replicas)`);
}

const NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/;

type Shape = 'string' | 'number' | 'object' | 'array';

/** The fields the manager reads: a spec from the wire must have them with the right types. */
const REQUIRED_SHAPE: [string, Shape][] = [
  ['annotations', 'object'],
  ['annotations.name', 'string'],
  ['annotations.labels', 'object'],
  ['mode', 'object'],
  ['mode.kind', 'string'],
  ['endpoint.ports', 'array'],
  ['task.container', 'object'],
  ['task.container.image', 'string'],
  ['task.container.env', 'array'],
  ['task.container.labels', 'object'],
  ['task.container.mounts', 'array'],
  ['task.container.stopGracePeriodMs', 'number'],
  ['task.resources.limits', 'object'],
  ['task.resources.reservations', 'object'],
  ['task.restartPolicy', 'object'],
  ['task.placement.constraints', 'array'],
  ['task.placement.spreadPreferences', 'array'],
  ['task.placement.platforms', 'array'],
  ['task.networks', 'array'],
];

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/** The paths split once: the shape is checked on every create and update (a leader hot spot). */
const REQUIRED_KEYS = REQUIRED_SHAPE.map(([path, shape]) => ({ path, keys: path.split('.'), shape }));

function valueAt(spec: unknown, keys: readonly string[]): unknown {
  let v = spec;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function checkShape(spec: unknown): void {
  for (const { path, keys, shape } of REQUIRED_KEYS) {
    if (typeOf(valueAt(spec, keys)) !== shape) throw invalidArgument(`malformed service spec: ${path} must be ${shape === 'array' || shape === 'object' ? 'an' : 'a'} ${shape}`);
  }
}

/** Checks a spec the way Docker's API does before anything is stored; throws one clear error. */
export function validateServiceSpec(spec: ServiceSpec): void {
  checkShape(spec);
  const name = spec.annotations.name;
  if (!NAME.test(name) || name.length > 63) {
    throw invalidArgument(`invalid name "${name}": a service name has at most 63 characters: letters, digits, '-', '_' and '.'`);
  }
  if (!spec.task.container.image) throw invalidArgument(`service ${name}: an image is required`);
  if (spec.mode.kind !== 'replicated' && spec.mode.kind !== 'global') throw invalidArgument(`service ${name}: mode must be replicated or global`);
  if (spec.mode.kind === 'replicated' && (!Number.isSafeInteger(spec.mode.replicas) || spec.mode.replicas < 0)) {
    throw invalidArgument(`service ${name}: replicas must be a non-negative integer`);
  }
  checkEndpoint(spec);
  checkServiceNetworks(name, spec.task.networks);
  const seen = new Set<string>();
  for (const p of spec.endpoint.ports) {
    if (!validPort(p.targetPort)) throw invalidArgument(`service ${name}: invalid target port ${p.targetPort}`);
    if (p.publishedPort !== 0 && !validPort(p.publishedPort)) {
      throw invalidArgument(`service ${name}: invalid published port ${p.publishedPort}`);
    }
    const key = `${p.publishedPort}/${p.protocol}`;
    if (p.publishedPort !== 0 && seen.has(key)) throw invalidArgument(`service ${name}: duplicate published port ${key}`);
    seen.add(key);
  }
}

/** Endpoint mode vip (the default) or dnsrr; dnsrr has no VIP for the routing mesh to use (Docker's error). */
function checkEndpoint(spec: ServiceSpec): void {
  const mode = spec.endpoint.mode;
  if (mode !== undefined && mode !== 'vip' && mode !== 'dnsrr') throw invalidArgument(`service ${spec.annotations.name}: endpoint mode must be vip or dnsrr`);
  if (mode === 'dnsrr' && spec.endpoint.ports.some((p) => p.publishMode === 'ingress')) {
    throw invalidArgument(`port published with ingress mode can't be used with dnsrr mode`);
  }
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n < 65536;
}

/** Ingress ports are cluster-wide: two services cannot publish the same one (Docker's message). */
export function checkIngressPortsFree(spec: ServiceSpec, others: Service[]): void {
  for (const p of spec.endpoint.ports) {
    if (p.publishMode !== 'ingress') continue;
    for (const other of others) {
      const clash = other.spec.endpoint.ports.some(
        (q) => q.publishMode === 'ingress' && q.publishedPort === p.publishedPort && q.protocol === p.protocol,
      );
      if (clash) {
        throw invalidArgument(
          `port '${p.publishedPort}' is already in use by service '${other.spec.annotations.name}' (${other.id}) as an ingress port`,
        );
      }
    }
  }
}
