import { holdsPlaceOnNode } from '../store/indexes.js';
import type { Node, PortConfig, Resources, Task } from '@shoal/common';

/**
 * What the scheduler knows about one node: the node, the tasks that hold a place on it, the
 * resources they reserve, the host-mode ports they publish and how many belong to each service.
 * NodeInfos are values: `withTask` returns a new one. `tasks` may hold an earlier version of a task
 * whose place did not change (a status report): only its length and the sums here are read.
 */
export interface NodeInfo {
  readonly node: Node;
  readonly tasks: readonly Task[];
  readonly reserved: Resources;
  readonly hostPorts: ReadonlySet<string>;
  readonly tasksByService: ReadonlyMap<string, number>;
}

export { holdsPlaceOnNode } from '../store/indexes.js';

export function hostPortKey(port: PortConfig): string {
  return `${port.protocol}/${port.publishedPort}`;
}

/** Host-mode ports the task publishes on its node (published port 0 means "any" and takes none). */
export function hostPortsOf(task: Task): string[] {
  return task.endpointPorts.filter((p) => p.publishMode === 'host' && p.publishedPort > 0).map(hostPortKey);
}

export function emptyNodeInfo(node: Node): NodeInfo {
  return { node, tasks: [], reserved: { nanoCpus: 0, memoryBytes: 0 }, hostPorts: new Set(), tasksByService: new Map() };
}

export function withTask(info: NodeInfo, task: Task): NodeInfo {
  const r = task.spec.resources.reservations;
  const byService = new Map(info.tasksByService);
  byService.set(task.serviceId, (byService.get(task.serviceId) ?? 0) + 1);
  return {
    node: info.node,
    tasks: [...info.tasks, task],
    reserved: { nanoCpus: info.reserved.nanoCpus + r.nanoCpus, memoryBytes: info.reserved.memoryBytes + r.memoryBytes },
    hostPorts: addAll(info.hostPorts, hostPortsOf(task)),
    tasksByService: byService,
  };
}

/** `set` with `more` added: the same set when there is nothing to add (most tasks publish no host port). */
function addAll(set: ReadonlySet<string>, more: readonly string[]): ReadonlySet<string> {
  return more.length === 0 ? set : new Set([...set, ...more]);
}

export function serviceTaskCount(info: NodeInfo, serviceId: string): number {
  return info.tasksByService.get(serviceId) ?? 0;
}

/** The NodeInfo of a node holding `tasks` (all holding a place on it), built in one pass. */
export function nodeInfoOf(node: Node, tasks: Iterable<Task>): NodeInfo {
  const held: Task[] = [];
  const reserved = { nanoCpus: 0, memoryBytes: 0 };
  const hostPorts = new Set<string>();
  const tasksByService = new Map<string, number>();
  for (const task of tasks) {
    held.push(task);
    reserved.nanoCpus += task.spec.resources.reservations.nanoCpus;
    reserved.memoryBytes += task.spec.resources.reservations.memoryBytes;
    for (const port of hostPortsOf(task)) hostPorts.add(port);
    tasksByService.set(task.serviceId, (tasksByService.get(task.serviceId) ?? 0) + 1);
  }
  return { node, tasks: held, reserved, hostPorts, tasksByService };
}

/** One NodeInfo per node, holding the tasks of `allTasks` that hold a place on it. */
export function buildNodeInfos(nodes: readonly Node[], allTasks: readonly Task[]): NodeInfo[] {
  const byNode = new Map<string, Task[]>();
  for (const task of allTasks) {
    if (!holdsPlaceOnNode(task)) continue;
    const list = byNode.get(task.nodeId) ?? [];
    list.push(task);
    byNode.set(task.nodeId, list);
  }
  return nodes.map((node) => nodeInfoOf(node, byNode.get(node.id) ?? []));
}
