import { WORKER_INPUT_LIMITS as L, fitText, type NodeDescription, type TaskStatus } from '@shoal/common';
import type { NodeDescription as WireNodeDescription, TaskStatus as WireTaskStatus, TaskStatusUpdate } from '@shoal/common/rpc';

/**
 * What the agent sends the dispatcher, as typed protobuf messages. The dispatcher refuses
 * anything beyond WORKER_INPUT_LIMITS; the agent's own free texts (an engine's error message can
 * be long) are made to fit here, so an honest agent is never refused.
 */
export function descriptionToWire(d: NodeDescription): WireNodeDescription {
  return {
    hostname: d.hostname,
    platform: { os: d.platform.os, architecture: d.platform.architecture },
    resources: { nanoCpus: Math.round(d.resources.nanoCpus), memoryBytes: Math.round(d.resources.memoryBytes) },
    engineVersion: d.engineVersion,
    engineLabels: d.engineLabels,
    ...(d.ingress ? { ingress: { backend: d.ingress.backend, clientAddress: d.ingress.clientAddress, message: d.ingress.message } } : {}),
  };
}

export function statusToWire(s: TaskStatus): WireTaskStatus {
  return {
    state: s.state,
    timestamp: s.timestamp,
    message: fitText(s.message, L.statusMessageChars),
    err: fitText(s.err ?? '', L.statusErrChars),
    containerId: s.containerId ?? '',
    containerIp: s.containerIp ?? '',
    health: s.health ?? '',
    ...(s.exitCode === undefined ? {} : { exitCode: s.exitCode }),
  };
}

/** A batch of statuses as UpdateTaskStatus calls of at most the dispatcher's limit each. */
export function statusCalls(batch: ReadonlyMap<string, TaskStatus>): TaskStatusUpdate[][] {
  const updates = [...batch].map(([taskId, status]) => ({ taskId, status: statusToWire(status) }));
  const calls: TaskStatusUpdate[][] = [];
  for (let i = 0; i < updates.length; i += L.updatesPerCall) calls.push(updates.slice(i, i + L.updatesPerCall));
  return calls;
}
