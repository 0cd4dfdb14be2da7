import { DEFAULT_STOP_GRACE_PERIOD_MS, invalidArgument, LABEL_STACK, type ContainerSpec, type Healthcheck } from '@shoal/common';
import { shellWords } from './shell-words.js';
import type { ComposeHealthcheck, ComposeService } from './types.js';
import { durationMs } from './units.js';

/** `command`/`entrypoint`: a string is split into words as Docker's compose loader does. */
function words(value: string | string[] | null | undefined, path: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? shellWords(value, path) : [...value];
}

/** `environment` (a map after loading) as `KEY=VALUE`, sorted; unset variables as a bare `KEY`. */
function envList(env: Record<string, string | null> | undefined): string[] {
  return Object.entries(env ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v === null ? k : `${k}=${v}`));
}

export function labelMap(labels: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((labels as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k, String(v ?? '')]));
}

function healthTest(h: ComposeHealthcheck): string[] {
  if (h.disable) return ['NONE'];
  if (h.test === undefined) return [];
  if (typeof h.test === 'string') return h.test === '' ? [] : ['CMD-SHELL', h.test];
  return [...h.test];
}

export function convertHealthcheck(h: ComposeHealthcheck | undefined, path: string): Healthcheck | undefined {
  if (!h) return undefined;
  const test = healthTest(h);
  if (test.length > 0 && !['CMD', 'CMD-SHELL', 'NONE'].includes(test[0]!)) {
    throw invalidArgument(`${path}.test: must start with CMD, CMD-SHELL or NONE, or be a string`);
  }
  return {
    test,
    intervalMs: durationMs(`${path}.interval`, h.interval, 0),
    timeoutMs: durationMs(`${path}.timeout`, h.timeout, 0),
    retries: h.retries ?? 0,
    startPeriodMs: durationMs(`${path}.start_period`, h.start_period, 0),
  };
}

/** The container part of a service: image, command, environment, labels and process settings. */
export function convertContainer(name: string, svc: ComposeService, stack: string): Omit<ContainerSpec, 'mounts'> {
  const path = `services.${name}`;
  if (!svc.image) throw invalidArgument(`${path}.image: is required`);
  const entrypoint = words(svc.entrypoint, `${path}.entrypoint`);
  const command = words(svc.command, `${path}.command`);
  const healthcheck = convertHealthcheck(svc.healthcheck, `${path}.healthcheck`);
  return {
    image: svc.image,
    ...(entrypoint ? { entrypoint } : {}),
    ...(command ? { command } : {}),
    env: envList(svc.environment),
    labels: { ...labelMap(svc.labels), [LABEL_STACK]: stack },
    ...(svc.working_dir !== undefined ? { dir: svc.working_dir } : {}),
    ...(svc.user !== undefined ? { user: svc.user } : {}),
    ...(svc.hostname !== undefined ? { hostname: svc.hostname } : {}),
    stopGracePeriodMs: durationMs(`${path}.stop_grace_period`, svc.stop_grace_period, DEFAULT_STOP_GRACE_PERIOD_MS),
    ...(svc.stop_signal !== undefined ? { stopSignal: svc.stop_signal } : {}),
    ...(healthcheck ? { healthcheck } : {}),
    ...(svc.init !== undefined ? { init: svc.init } : {}),
  };
}
