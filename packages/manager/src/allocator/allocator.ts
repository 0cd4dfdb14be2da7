import type { Clock, Network, Node, Task } from '@shoal/common';
import { BatchLoop } from '../batch-loop.js';
import { byServiceAndSlot } from '../scheduler/scheduler.js';
import type { ReadTx, Store, WatchEvent, WriteTx } from '../store/types.js';
import { heldAddressKeys, ingressNetworkOf, vipKeys } from '../store/indexes.js';
import { GLOBAL_ASSIGNED_MESSAGE, PENDING_MESSAGE } from '../orchestrator/new-task.js';
import { nodeNeedsAddress, planNodeAddresses, type NodeAddressResult } from './node-addresses.js';
import { planTaskAddresses, type TaskAddressResult } from './task-addresses.js';
import { UsedAddresses } from './used-addresses.js';

export interface AllocatorOptions {
  store: Store;
  clock: Clock;
  /** Runs `fn` soon (setImmediate in io/); events that arrive before it runs share one batch. */
  schedule: (fn: () => void) => void;
  /** Told about failed batches other than conflicts (which are retried). */
  onError?: (error: unknown) => void;
}

/** Tasks allocated (or told why not) in one transaction, at most. */
export const MAX_ALLOCATIONS_PER_BATCH = 2_000;

/** A task waiting for its addresses: NEW and meant to run. */
export function isWaitingForAddresses(task: Task): boolean {
  return task.status.state === 'new' && task.desiredState === 'running';
}

const fewer = (before: readonly string[], after: readonly string[]) => before.some((k) => !after.includes(k));

/** An event after which a batch may do something: a task waits, or addresses were freed. */
function isRelevant(event: WatchEvent): boolean {
  if (event.table === 'networks') return true;
  if (event.table === 'tasks') {
    if (event.kind !== 'remove' && isWaitingForAddresses(event.object)) return true;
    if (event.kind === 'remove') return heldAddressKeys(event.object).length > 0;
    return event.kind === 'update' && fewer(heldAddressKeys(event.old), heldAddressKeys(event.object));
  }
  if (event.table === 'nodes') return nodeEventMatters(event);
  if (event.table === 'services') {
    if (event.kind === 'remove') return vipKeys(event.object).length > 0;
    return event.kind === 'update' && fewer(vipKeys(event.old), vipKeys(event.object));
  }
  return false;
}

/** A node came or went, or its ingress address changed (someone else wrote it, or it was freed). */
function nodeEventMatters(event: WatchEvent): boolean {
  if (event.table !== 'nodes') return false;
  if (event.kind !== 'update') return true;
  const before = event.old as Node;
  const after = event.object as Node;
  return before.ingress?.networkId !== after.ingress?.networkId || before.ingress?.address !== after.ingress?.address;
}

/** Looks a service's network target up by name (as control stores it), else by ID. */
function lookup(view: ReadTx): (target: string) => Network | undefined {
  return (target) => view.byIndex('networks', 'name', target)[0] ?? view.get('networks', target);
}

/**
 * The leader's allocation pass (swarmkit's allocator, as a loop around a pure core): watches the
 * store, and in batches gives every NEW task its addresses (`planTaskAddresses`), moving it to
 * pending (or assigned, when it already has its node: global tasks), in one transaction of at
 * most MAX_ALLOCATIONS_PER_BATCH tasks. A task that finds a network full stays NEW with the
 * reason in `status.err`, and is tried again when an address is freed. The same pass gives every
 * node its own address on the ingress network (`planNodeAddresses`, issue 11), and takes it away
 * when that network is removed.
 */
export class Allocator {
  private unwatch: (() => void) | undefined;
  private readonly loop: BatchLoop;
  /** networkId → the last address handed out: where the next search starts. */
  private readonly cursors = new Map<string, number>();
  /** Nodes may need an ingress address (set by node and network events; cleared by a pass). */
  private nodesDirty = true;

  constructor(private readonly options: AllocatorOptions) {
    this.loop = new BatchLoop(options.schedule, () => this.commit());
  }

  start(): void {
    if (this.unwatch) return;
    this.nodesDirty = true;
    this.unwatch = this.options.store.watch((events) => {
      if (!events.some(isRelevant)) return;
      // Nodes are looked at again after anything but a task waiting: a new node or ingress
      // network, or an address freed that a node waiting on a full network may take.
      if (events.some((e) => e.table !== 'tasks' || e.kind !== 'create')) this.nodesDirty = true;
      this.loop.request();
    }, { tables: ['tasks', 'services', 'networks', 'nodes'] });
    this.loop.start();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    this.loop.stop();
  }

  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  runBatch(): Promise<void> {
    return this.loop.runBatch();
  }

  private async commit(): Promise<void> {
    const view = this.options.store.view();
    const waiting = view.byIndex('tasks', 'state', 'new').filter(isWaitingForAddresses).sort(byServiceAndSlot);
    const ingress = ingressNetworkOf(view);
    const needy = this.nodesNeedingAddresses(view, ingress);
    if (waiting.length === 0 && needy.length === 0) return;
    const used = new UsedAddresses({
      tasksOn: (id) => view.byIndex('tasks', 'network', id),
      servicesOn: (id) => view.byIndex('services', 'vipNetwork', id),
      nodesOn: (id) => view.byIndex('nodes', 'ingressNetwork', id),
    });
    // Nodes first (the mesh needs every node), then tasks, within one bound per batch.
    const nodes = planNodeAddresses({ nodes: needy, ingress, used, cursors: this.cursors, max: MAX_ALLOCATIONS_PER_BATCH });
    for (const f of nodes.failed) this.options.onError?.(new Error(f.err));
    const nodeWrites = nodes.assigned.length + nodes.cleared.length;
    const budget = MAX_ALLOCATIONS_PER_BATCH - nodeWrites - nodes.failed.length;
    const result = planTaskAddresses({ tasks: waiting, networks: lookup(view), used, cursors: this.cursors, max: budget, ingress });
    if (budget <= 0 || result.allocated.length + result.failed.length >= budget) this.loop.again();
    const changed = { allocated: result.allocated, failed: result.failed.filter((f) => view.get('tasks', f.taskId)?.status.err !== f.err) };
    if (changed.allocated.length === 0 && changed.failed.length === 0 && nodeWrites === 0) return;
    // After node writes the nodes are looked at once more: the write may lose a race, or the
    // batch may have stopped at its bound.
    if (nodeWrites > 0) this.nodesDirty = true;
    await this.loop.commit(() => this.options.store.update((tx) => {
      this.apply(tx, changed);
      this.applyNodes(tx, nodes, ingress?.id);
    }), this.options.onError);
  }

  /** The nodes without an address on the current ingress network (or with one elsewhere), when they may have changed. */
  private nodesNeedingAddresses(view: ReadTx, ingress: Network | undefined): Node[] {
    if (!this.nodesDirty) return [];
    this.nodesDirty = false;
    return view.list('nodes').filter((n) => nodeNeedsAddress(n, ingress?.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private applyNodes(tx: WriteTx, result: NodeAddressResult, ingressId: string | undefined): void {
    for (const { nodeId, ingress } of result.assigned) {
      const node = tx.get('nodes', nodeId);
      if (!node || !nodeNeedsAddress(node, ingressId)) continue;
      tx.update('nodes', { ...node, ingress });
    }
    for (const nodeId of result.cleared) {
      const node = tx.get('nodes', nodeId);
      if (!node?.ingress) continue;
      const { ingress: _gone, ...rest } = node;
      tx.update('nodes', rest);
    }
  }

  private apply(tx: WriteTx, result: TaskAddressResult): void {
    const timestamp = new Date(this.options.clock.now()).toISOString();
    for (const { taskId, networks } of result.allocated) {
      const task = tx.get('tasks', taskId);
      if (!task || !isWaitingForAddresses(task)) continue;
      const assigned = task.nodeId !== '';
      const status = { state: assigned ? ('assigned' as const) : ('pending' as const), timestamp, message: assigned ? GLOBAL_ASSIGNED_MESSAGE : PENDING_MESSAGE };
      const { networks: _none, ...rest } = task;
      tx.update('tasks', { ...rest, ...(networks.length > 0 ? { networks } : {}), status });
    }
    for (const { taskId, err } of result.failed) {
      const task = tx.get('tasks', taskId);
      if (!task || !isWaitingForAddresses(task) || task.status.err === err) continue;
      tx.update('tasks', { ...task, status: { ...task.status, err } });
    }
  }
}
