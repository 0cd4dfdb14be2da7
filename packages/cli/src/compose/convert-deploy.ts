import {
  DEFAULT_RESTART_POLICY,
  emptyPlacement,
  invalidArgument,
  type Placement,
  type RestartPolicy,
  type ServiceMode,
  type TaskResources,
} from '@shoal/common';
import type { ComposeDeploy, ComposeResources } from './types.js';
import { durationMs, memoryBytes, nanoCpus } from './units.js';

const CONSTRAINT =
  /^(node\.id|node\.hostname|node\.role|node\.platform\.os|node\.platform\.arch|node\.labels\.[^\s=!]+|engine\.labels\.[^\s=!]+)\s*(==|!=)\s*(\S.*?)\s*$/;

/** Checks `node.role == manager`-style constraints; the error names the key path. */
export function checkConstraint(text: string, path: string): string {
  const m = CONSTRAINT.exec(text.trim());
  if (!m || /[=!]=/.test(m[3]!)) {
    throw invalidArgument(
      `${path}: invalid constraint "${text}": use KEY==VALUE or KEY!=VALUE with KEY one of node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.NAME, engine.labels.NAME`,
    );
  }
  return text.trim();
}

export function convertMode(deploy: ComposeDeploy | undefined, path: string): ServiceMode {
  if (deploy?.mode === 'global') {
    if (deploy.replicas !== undefined) throw invalidArgument(`${path}.replicas: can only be set in replicated mode`);
    return { kind: 'global' };
  }
  return { kind: 'replicated', replicas: deploy?.replicas ?? 1 };
}

export function convertPlacement(deploy: ComposeDeploy | undefined, path: string): Placement {
  const p = deploy?.placement;
  const out = emptyPlacement();
  if (!p) return out;
  out.constraints = (p.constraints ?? []).map((c, i) => checkConstraint(c, `${path}.constraints[${i}]`));
  out.spreadPreferences = (p.preferences ?? []).map((pref, i) => {
    if (!pref.spread) throw invalidArgument(`${path}.preferences[${i}]: only spread preferences are supported`);
    return pref.spread;
  });
  out.maxReplicasPerNode = p.max_replicas_per_node ?? 0;
  return out;
}

function resources(r: ComposeResources | undefined, path: string) {
  return { nanoCpus: nanoCpus(`${path}.cpus`, r?.cpus), memoryBytes: memoryBytes(`${path}.memory`, r?.memory) };
}

export function convertResources(deploy: ComposeDeploy | undefined, path: string): TaskResources {
  return {
    limits: resources(deploy?.resources?.limits, `${path}.limits`),
    reservations: resources(deploy?.resources?.reservations, `${path}.reservations`),
  };
}

/** The `restart:` key when no restart_policy is given, as Docker's stack deploy reads it. */
function fromRestart(restart: unknown): RestartPolicy {
  const m = typeof restart === 'string' ? /^on-failure(?::(\d+))?$/.exec(restart) : null;
  if (!m) return { ...DEFAULT_RESTART_POLICY };
  return { ...DEFAULT_RESTART_POLICY, condition: 'on-failure', maxAttempts: Number(m[1] ?? 0) };
}

export function convertRestartPolicy(deploy: ComposeDeploy | undefined, restart: unknown, path: string): RestartPolicy {
  const r = deploy?.restart_policy;
  if (!r) return fromRestart(restart);
  return {
    condition: r.condition ?? DEFAULT_RESTART_POLICY.condition,
    delayMs: durationMs(`${path}.delay`, r.delay, DEFAULT_RESTART_POLICY.delayMs),
    maxAttempts: r.max_attempts ?? DEFAULT_RESTART_POLICY.maxAttempts,
    windowMs: durationMs(`${path}.window`, r.window, DEFAULT_RESTART_POLICY.windowMs),
  };
}
