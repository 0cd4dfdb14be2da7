import type { RestartPolicy, TaskResources, Placement } from './objects.js';

/** Docker Swarm's defaults, which users' compose files rely on. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  condition: 'any',
  delayMs: 5_000,
  maxAttempts: 0,
  windowMs: 0,
};

export const DEFAULT_STOP_GRACE_PERIOD_MS = 10_000;
export const DEFAULT_TASK_HISTORY_LIMIT = 5;
export const DEFAULT_HEARTBEAT_PERIOD_MS = 1_000;

export function emptyResources(): TaskResources {
  return { limits: { nanoCpus: 0, memoryBytes: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } };
}

export function emptyPlacement(): Placement {
  return { constraints: [], spreadPreferences: [], maxReplicasPerNode: 0, platforms: [] };
}

/** Labels put on every container shoal starts (DESIGN §5). */
export const LABEL_TASK_ID = 'io.shoal.task.id';
export const LABEL_SERVICE_ID = 'io.shoal.service.id';
export const LABEL_SERVICE_NAME = 'io.shoal.service.name';
export const LABEL_STACK = 'io.shoal.stack';
export const LABEL_NODE_ID = 'io.shoal.node.id';

export const DEFAULT_NODE_CERT_LIFETIME_MS = 90 * 24 * 3600 * 1000;

/**
 * Replicas one service may have unless `swarm update --max-replicas` says otherwise: 1,000 nodes
 * running 100 tasks each (Kubernetes caps a node at 110 pods by default), all in one service.
 * The store holds about 100,000 tasks (plus history) in a few hundred megabytes.
 */
export const DEFAULT_MAX_REPLICAS = 100_000;
/** The highest `--max-replicas` a cluster accepts: beyond it one service's tasks need gigabytes on every manager. */
export const MAX_REPLICAS_CEILING = 1_000_000;

/** The cluster's replica limit (the default for a cluster created before the setting existed). */
export function maxReplicasOf(cluster: { spec: { maxReplicas?: number } } | undefined): number {
  return cluster?.spec.maxReplicas ?? DEFAULT_MAX_REPLICAS;
}
