import { DEFAULT_RESTART_POLICY, DEFAULT_STOP_GRACE_PERIOD_MS, emptyPlacement, emptyResources, type RestartCondition, type ServiceMode, type ServiceSpec } from '@shoal/common';
import { parseDuration } from '../parse/duration.js';
import { healthcheckFromFlags, type HealthFlags } from '../parse/healthcheck.js';
import { keyValues, parseCount, parseReplicas } from '../parse/key-value.js';
import { parseMount } from '../parse/mount.js';
import { checkDistinctNetworks, parseEndpointMode, parseNetworkAttachment } from '../parse/network-attachment.js';
import { parsePublish } from '../parse/publish.js';
import { parseCpus, parseMemory } from '../parse/size.js';

/** The options of `service create`, as commander hands them over (strings, repeatables as arrays). */
export interface CreateOptions extends HealthFlags {
  name?: string;
  replicas?: string;
  mode?: string;
  publish?: string[];
  constraint?: string[];
  placementPref?: string[];
  env?: string[];
  label?: string[];
  containerLabel?: string[];
  restartCondition?: string;
  restartDelay?: string;
  restartMaxAttempts?: string;
  restartWindow?: string;
  limitCpu?: string;
  limitMemory?: string;
  reserveCpu?: string;
  reserveMemory?: string;
  mount?: string[];
  workdir?: string;
  user?: string;
  hostname?: string;
  entrypoint?: string;
  stopGracePeriod?: string;
  stopSignal?: string;
  network?: string[];
  endpointMode?: string;
}

function restartCondition(text: string): RestartCondition {
  if (text !== 'none' && text !== 'on-failure' && text !== 'any') {
    throw new Error(`invalid restart condition "${text}": use none, on-failure or any`);
  }
  return text;
}

function serviceMode(opts: CreateOptions): ServiceMode {
  const mode = opts.mode ?? 'replicated';
  if (mode === 'global') {
    if (opts.replicas !== undefined) throw new Error('replicas can only be used with replicated mode');
    return { kind: 'global' };
  }
  if (mode !== 'replicated') throw new Error(`invalid mode "${mode}": use replicated or global`);
  return { kind: 'replicated', replicas: opts.replicas === undefined ? 1 : parseReplicas(opts.replicas) };
}

/** The name Docker would pick when none is given is random; shoal asks for one instead. */
function serviceName(opts: CreateOptions): string {
  if (!opts.name) throw new Error('a service name is required: pass --name NAME');
  return opts.name;
}

/** The ServiceSpec `service create` sends, with Swarm's defaults wherever a flag is absent. */
export function buildServiceSpec(opts: CreateOptions, image: string, args: readonly string[]): ServiceSpec {
  const healthcheck = healthcheckFromFlags(opts);
  const resources = emptyResources();
  if (opts.limitCpu) resources.limits.nanoCpus = parseCpus(opts.limitCpu);
  if (opts.limitMemory) resources.limits.memoryBytes = parseMemory(opts.limitMemory);
  if (opts.reserveCpu) resources.reservations.nanoCpus = parseCpus(opts.reserveCpu);
  if (opts.reserveMemory) resources.reservations.memoryBytes = parseMemory(opts.reserveMemory);
  const placement = emptyPlacement();
  placement.constraints = [...(opts.constraint ?? [])];
  placement.spreadPreferences = (opts.placementPref ?? []).map((p) => p.replace(/^spread=/, ''));
  const restart = { ...DEFAULT_RESTART_POLICY };
  if (opts.restartCondition) restart.condition = restartCondition(opts.restartCondition);
  if (opts.restartDelay) restart.delayMs = parseDuration(opts.restartDelay);
  if (opts.restartMaxAttempts) restart.maxAttempts = parseCount(opts.restartMaxAttempts, 'restart max attempts');
  if (opts.restartWindow) restart.windowMs = parseDuration(opts.restartWindow);
  return {
    annotations: { name: serviceName(opts), labels: keyValues(opts.label, 'label') },
    task: {
      container: {
        image,
        ...(opts.entrypoint ? { entrypoint: opts.entrypoint.split(/\s+/).filter(Boolean) } : {}),
        ...(args.length > 0 ? { command: [...args] } : {}),
        env: [...(opts.env ?? [])],
        labels: keyValues(opts.containerLabel, 'container label'),
        ...(opts.workdir ? { dir: opts.workdir } : {}),
        ...(opts.user ? { user: opts.user } : {}),
        ...(opts.hostname ? { hostname: opts.hostname } : {}),
        ...(opts.stopSignal ? { stopSignal: opts.stopSignal } : {}),
        stopGracePeriodMs: opts.stopGracePeriod ? parseDuration(opts.stopGracePeriod) : DEFAULT_STOP_GRACE_PERIOD_MS,
        ...(healthcheck ? { healthcheck } : {}),
        mounts: (opts.mount ?? []).map(parseMount),
      },
      resources,
      restartPolicy: restart,
      placement,
      networks: checkDistinctNetworks((opts.network ?? []).map(parseNetworkAttachment)),
      forceUpdate: 0,
    },
    mode: serviceMode(opts),
    endpoint: checkEndpoint({ ports: (opts.publish ?? []).map(parsePublish), ...(opts.endpointMode ? { mode: parseEndpointMode(opts.endpointMode) } : {}) }),
  };
}

/** Docker's rule: a dnsrr service has no VIP, so the routing mesh cannot reach it. */
function checkEndpoint(endpoint: ServiceSpec['endpoint']): ServiceSpec['endpoint'] {
  if (endpoint.mode === 'dnsrr' && endpoint.ports.some((p) => p.publishMode === 'ingress')) {
    throw new Error("port published with ingress mode can't be used with dnsrr mode (publish with mode=host)");
  }
  return endpoint;
}

/** The options of `service update` this CLI supports. */
export interface UpdateOptions {
  image?: string;
  replicas?: string;
  envAdd?: string[];
  envRm?: string[];
  labelAdd?: string[];
  labelRm?: string[];
  constraintAdd?: string[];
  constraintRm?: string[];
  publishAdd?: string[];
  publishRm?: string[];
  networkAdd?: string[];
  networkRm?: string[];
  endpointMode?: string;
  force?: boolean;
}

const envKey = (e: string) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e);

/** The spec `service update` sends: the stored spec with the flags' changes (a copy; the input is untouched). */
export function applyServiceUpdate(current: ServiceSpec, opts: UpdateOptions): ServiceSpec {
  const spec = structuredClone(current);
  const c = spec.task.container;
  if (opts.image) c.image = opts.image;
  if (opts.replicas !== undefined) {
    if (spec.mode.kind !== 'replicated') throw new Error('replicas can only be used with replicated mode');
    spec.mode = { kind: 'replicated', replicas: parseReplicas(opts.replicas) };
  }
  const removedEnv = new Set([...(opts.envRm ?? []), ...(opts.envAdd ?? []).map(envKey)]);
  c.env = [...c.env.filter((e) => !removedEnv.has(envKey(e))), ...(opts.envAdd ?? [])];
  for (const k of opts.labelRm ?? []) delete spec.annotations.labels[k];
  Object.assign(spec.annotations.labels, keyValues(opts.labelAdd, 'label'));
  const rmConstraints = new Set(opts.constraintRm ?? []);
  const p = spec.task.placement;
  p.constraints = [...p.constraints.filter((x) => !rmConstraints.has(x)), ...(opts.constraintAdd ?? [])];
  const rmPorts = (opts.publishRm ?? []).map((t) => parsePublish(t.includes(':') || t.includes('=') ? t : `0:${t}`));
  spec.endpoint.ports = [
    ...spec.endpoint.ports.filter((port) => !rmPorts.some((r) => r.targetPort === port.targetPort && r.protocol === port.protocol)),
    ...(opts.publishAdd ?? []).map(parsePublish),
  ];
  const rmNetworks = new Set(opts.networkRm ?? []);
  const kept = spec.task.networks.filter((n) => !rmNetworks.has(n.target));
  const added = (opts.networkAdd ?? []).map(parseNetworkAttachment);
  const again = added.find((a) => kept.some((n) => n.target === a.target));
  if (again) throw new Error(`service is already attached to network ${again.target}`);
  spec.task.networks = checkDistinctNetworks([...kept, ...added]);
  if (opts.endpointMode) spec.endpoint.mode = parseEndpointMode(opts.endpointMode);
  spec.endpoint = checkEndpoint(spec.endpoint);
  if (opts.force) spec.task.forceUpdate += 1;
  return spec;
}
