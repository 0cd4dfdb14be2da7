import type { Node, Task } from '@shoal/common';
import { holdsPlaceOnNode } from '../store/indexes.js';
import type { ReadTx, WatchEvent } from '../store/types.js';
import { hostPortsOf, nodeInfoOf, withTask, type NodeInfo } from './node-info.js';

/**
 * The scheduler's picture of the nodes, kept up to date from store events instead of being
 * rebuilt from every task on every batch: per node, the tasks that hold a place on it. A node's
 * NodeInfo is rebuilt (from its own tasks only) when one of them changed.
 */
export class NodeSet {
  private readonly nodes = new Map<string, Node>();
  private readonly placed = new Map<string, Map<string, Task>>();
  private readonly infos = new Map<string, NodeInfo>();

  /** Starts over from a view (the index of tasks holding a place on each node). */
  load(view: ReadTx): void {
    this.nodes.clear();
    this.placed.clear();
    this.infos.clear();
    for (const node of view.list('nodes')) {
      this.nodes.set(node.id, node);
      this.placed.set(node.id, new Map(view.byIndex('tasks', 'holdsPlaceOn', node.id).map((t) => [t.id, t])));
    }
  }

  /** Applies the changes of one entry (events as the store hands them to a watch). */
  apply(events: readonly WatchEvent[]): void {
    for (const event of events) {
      if (event.table === 'nodes') this.applyNode(event);
      else if (event.table === 'tasks') this.applyTask(event);
    }
  }

  /** One NodeInfo per node, in the order the nodes were first seen. */
  list(): NodeInfo[] {
    const infos: NodeInfo[] = [];
    for (const [id, node] of this.nodes) {
      let info = this.infos.get(id);
      if (!info) this.infos.set(id, (info = nodeInfoOf(node, this.placed.get(id)?.values() ?? [])));
      infos.push(info);
    }
    return infos;
  }

  private applyNode(event: WatchEvent<'nodes'>): void {
    const { id } = event.object;
    this.infos.delete(id);
    if (event.kind === 'remove') {
      this.nodes.delete(id);
      return;
    }
    this.nodes.set(id, event.object);
    if (!this.placed.has(id)) this.placed.set(id, new Map());
  }

  private applyTask(event: WatchEvent<'tasks'>): void {
    const before = event.kind === 'update' ? event.old : event.kind === 'remove' ? event.object : undefined;
    const after = event.kind === 'remove' ? undefined : event.object;
    if (before && after && holdsPlaceOnNode(before) && holdsPlaceOnNode(after) && samePlace(before, after)) {
      // A status report (assigned → running): nothing a NodeInfo counts changed, it stays.
      this.placed.get(after.nodeId)?.set(after.id, after);
      return;
    }
    if (before && holdsPlaceOnNode(before)) this.unplace(before);
    if (after && holdsPlaceOnNode(after)) this.place(after);
  }

  private place(task: Task): void {
    let tasks = this.placed.get(task.nodeId);
    if (!tasks) this.placed.set(task.nodeId, (tasks = new Map()));
    const info = this.infos.get(task.nodeId);
    // A new place on a node: its NodeInfo grows by one instead of being rebuilt from every task.
    if (info && !tasks.has(task.id)) this.infos.set(task.nodeId, withTask(info, task));
    else this.infos.delete(task.nodeId);
    tasks.set(task.id, task);
  }

  private unplace(task: Task): void {
    const tasks = this.placed.get(task.nodeId);
    tasks?.delete(task.id);
    if (tasks?.size === 0 && !this.nodes.has(task.nodeId)) this.placed.delete(task.nodeId);
    this.infos.delete(task.nodeId);
  }
}

/** Whether a task holds the same place on the same node before and after: node, service, reservations, host ports. */
function samePlace(a: Task, b: Task): boolean {
  const ra = a.spec.resources.reservations;
  const rb = b.spec.resources.reservations;
  if (a.nodeId !== b.nodeId || a.serviceId !== b.serviceId || ra.nanoCpus !== rb.nanoCpus || ra.memoryBytes !== rb.memoryBytes) return false;
  return a.endpointPorts === b.endpointPorts || hostPortsOf(a).join() === hostPortsOf(b).join();
}
