import { isActiveState, isTerminalState, taskStateRank, type Node, type Service, type Task } from '@shoal/common';
import { deepEqual } from './deep-equal.js';

/** Facts about tasks that the reconcilers share. All pure. */

export type NodeMap = ReadonlyMap<string, Node>;

export function nodeMap(nodes: readonly Node[]): NodeMap {
  return new Map(nodes.map((n) => [n.id, n]));
}

/** Meant to run (desired state at most running). */
export function isRunnable(task: Task): boolean {
  return isActiveState(task.desiredState);
}

/** Its spec or published ports differ from the service's current ones: a rolling update must replace it. */
export function isDirty(task: Task, service: Service): boolean {
  return !deepEqual(task.spec, service.spec.task) || !deepEqual(task.endpointPorts, service.spec.endpoint.ports);
}

/** The node the task is on is gone from the store or down. */
export function isOnLostNode(task: Task, nodes: NodeMap): boolean {
  if (task.nodeId === '') return false;
  const node = nodes.get(task.nodeId);
  return !node || node.status.state === 'down';
}

/** Observed running on a node: its container serves now (unless that node is lost). */
export function isServing(task: Task): boolean {
  return task.status.state === 'running' && task.nodeId !== '';
}

/** Never reached a node (still new or pending). */
export function neverAssigned(task: Task): boolean {
  return task.nodeId === '' || taskStateRank(task.status.state) < taskStateRank('assigned');
}

/** No container runs for it, or none ever will: stopped, never placed, or on a lost node. */
export function isStopped(task: Task, nodes: NodeMap): boolean {
  return isTerminalState(task.status.state) || neverAssigned(task) || isOnLostNode(task, nodes);
}

export function createdAtMs(task: Task): number {
  const t = Date.parse(task.meta.createdAt);
  return Number.isNaN(t) ? 0 : t;
}

/** When the task reached its current state (its status timestamp, else its last store change). */
export function stateSinceMs(task: Task): number {
  const t = Date.parse(task.status.timestamp);
  if (!Number.isNaN(t)) return t;
  const u = Date.parse(task.meta.updatedAt);
  return Number.isNaN(u) ? 0 : u;
}

/** Newest first: by creation time, then a runnable task before a stopped one, then by ID. */
export function newestFirst(a: Task, b: Task): number {
  const byTime = createdAtMs(b) - createdAtMs(a);
  if (byTime !== 0) return byTime;
  const byDesired = taskStateRank(a.desiredState) - taskStateRank(b.desiredState);
  if (byDesired !== 0) return byDesired;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
