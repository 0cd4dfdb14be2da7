import type { Store, WatchEvent } from '../../store/types.js';
import { NetworkTableCache, type NodeTableJson } from '../network-table-cache.js';
import { IngressTableCache, type IngressTableJson } from '../ingress-table-cache.js';

/**
 * Changes to the tables within this window go out to a node in one message. The window grows
 * with the size of the tables touched (1 ms per 8 KiB, up to NETWORK_COALESCE_MAX_MS): every push
 * sends a whole table, so a storm of changes on a network of 10,000 endpoints (~1.7 MB) goes out
 * 5 times a second rather than 50.
 */
export const NETWORK_COALESCE_MS = 20;
export const NETWORK_COALESCE_MAX_MS = 200;
const BYTES_PER_MS = 8 * 1024;

export interface NetworkPushOptions {
  store: Store;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  coalesceMs?: number;
}

/**
 * One watch for every assignment stream: each committed entry is read once (NetworkTableCache),
 * the networks it touched are mapped to the nodes whose last table held them (plus nodes whose
 * own set of networks may have moved), and those nodes' streams are woken together once the
 * coalescing window ends. A stream then asks `tableFor` and sends the table if its key changed.
 * The IngressTables ride on the same watch (IngressTableCache): a change of the ports wakes every
 * stream, a change of one node's ingress address wakes that node's.
 */
export class NetworkPush {
  private readonly cache: NetworkTableCache;
  private readonly ingress: IngressTableCache;
  private readonly wakers = new Map<string, Set<() => void>>();
  /** networkId → nodes whose last table needed it; nodeId → what its last table needed. */
  private readonly holders = new Map<string, Set<string>>();
  private readonly held = new Map<string, string[]>();
  private readonly dirty = new Set<string>();
  private unwatch: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Wake rounds and streams woken so far (what one change costs; read by tests and logs). */
  readonly stats = { rounds: 0, wakes: 0 };

  constructor(private readonly o: NetworkPushOptions) {
    this.cache = new NetworkTableCache((msg, fields) => o.log(msg, fields));
    this.ingress = new IngressTableCache((msg, fields) => o.log(msg, fields));
  }

  /** Wakes `wake` whenever the node's table may have changed; returns the unsubscribe function. */
  subscribe(nodeId: string, wake: () => void): () => void {
    this.unwatch ??= this.o.store.watch((events) => this.onEntry(events), { tables: ['tasks', 'services', 'networks', 'nodes'] });
    const set = this.wakers.get(nodeId) ?? new Set();
    set.add(wake);
    this.wakers.set(nodeId, set);
    return () => {
      set.delete(wake);
      if (set.size > 0 || this.wakers.get(nodeId) !== set) return;
      this.wakers.delete(nodeId);
      this.hold(nodeId, []);
    };
  }

  /** The node's table now, as JSON; remembers which networks it needed (for waking it later). */
  tableFor(nodeId: string): NodeTableJson {
    const table = this.cache.tableFor(this.o.store.view(), nodeId);
    if (this.wakers.has(nodeId)) this.hold(nodeId, table.needed);
    return table;
  }

  /** The node's IngressTable now, as JSON (the ports are built once per change for every node). */
  ingressFor(nodeId: string): IngressTableJson {
    return this.ingress.tableFor(this.o.store.view(), nodeId);
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.wakers.clear();
    this.holders.clear();
    this.held.clear();
    this.dirty.clear();
    this.cache.reset();
    this.ingress.reset();
  }

  private hold(nodeId: string, needed: string[]): void {
    for (const id of this.held.get(nodeId) ?? []) {
      const nodes = this.holders.get(id);
      nodes?.delete(nodeId);
      if (nodes?.size === 0) this.holders.delete(id);
    }
    if (needed.length === 0) this.held.delete(nodeId);
    else this.held.set(nodeId, needed);
    for (const id of needed) {
      const nodes = this.holders.get(id) ?? new Set();
      nodes.add(nodeId);
      this.holders.set(id, nodes);
    }
  }

  private onEntry(events: WatchEvent[]): void {
    const view = this.o.store.view();
    const affected = this.cache.observe(events, view);
    const mesh = this.ingress.observe(events, view);
    const before = this.dirty.size;
    for (const nodeId of mesh.nodes) if (this.wakers.has(nodeId)) this.dirty.add(nodeId);
    if (affected.everyNode || mesh.everyNode) for (const nodeId of this.wakers.keys()) this.dirty.add(nodeId);
    for (const nodeId of affected.nodes) if (this.wakers.has(nodeId)) this.dirty.add(nodeId);
    for (const id of affected.networks) for (const nodeId of this.holders.get(id) ?? []) this.dirty.add(nodeId);
    if (this.dirty.size > before && !this.timer) this.timer = setTimeout(() => this.wakeDirty(), this.windowMs(affected.networks));
  }

  private windowMs(networks: ReadonlySet<string>): number {
    const base = this.o.coalesceMs ?? NETWORK_COALESCE_MS;
    let bytes = 0;
    for (const id of networks) bytes = Math.max(bytes, this.cache.sizeOf(id));
    return Math.min(Math.max(base, NETWORK_COALESCE_MAX_MS), base + Math.floor(bytes / BYTES_PER_MS));
  }

  private wakeDirty(): void {
    this.timer = undefined;
    this.stats.rounds++;
    for (const nodeId of this.dirty) {
      for (const wake of this.wakers.get(nodeId) ?? []) {
        this.stats.wakes++;
        wake();
      }
    }
    this.dirty.clear();
  }
}
