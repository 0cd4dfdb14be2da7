import type { Cluster, Network, Node, Service, Task } from '@shoal/common';
import type { IndexName } from './indexes.js';

/** The tables of the store and the object each holds. */
export interface Tables {
  clusters: Cluster;
  nodes: Node;
  services: Service;
  tasks: Task;
  networks: Network;
}
export type TableName = keyof Tables;
export const TABLE_NAMES: readonly TableName[] = ['clusters', 'nodes', 'services', 'tasks', 'networks'];

/** An object as a caller hands it to a write: the store fills in `meta` when it applies. */
export type Unversioned<T extends { meta: unknown }> = Omit<T, 'meta'>;

/**
 * One change to one object. `expectedVersion` is the version the writer read; a write whose
 * expectation no longer holds at apply time is a conflict and the whole transaction is dropped.
 */
export type StoreAction =
  | { kind: 'create'; table: TableName; object: { id: string } }
  | { kind: 'update'; table: TableName; object: { id: string }; expectedVersion: number }
  | { kind: 'remove'; table: TableName; id: string; expectedVersion?: number };

/** What the proposer replicates: the actions of one or more transactions, applied in order. */
export interface LogEntry {
  index: number;
  /** Chosen by the proposer when it made the entry (ms since epoch): the apply never reads a clock. */
  time: number;
  transactions: StoreAction[][];
}

/** The outcome of one transaction at apply time. */
export type TransactionResult = { ok: true } | { ok: false; error: string };

/** Replicates transactions; resolves when the entry carrying them has been applied. */
export interface Proposer {
  propose(actions: StoreAction[]): Promise<TransactionResult>;
  close(): Promise<void>;
}

export type WatchEvent<T extends TableName = TableName> = {
  [K in T]:
    | { kind: 'create'; table: K; object: Tables[K] }
    | { kind: 'update'; table: K; object: Tables[K]; old: Tables[K] }
    | { kind: 'remove'; table: K; object: Tables[K] };
}[T];

/** Read access to a consistent view of the tables. */
export interface ReadTx {
  get<K extends TableName>(table: K, id: string): Tables[K] | undefined;
  list<K extends TableName>(table: K): Tables[K][];
  find<K extends TableName>(table: K, predicate: (o: Tables[K]) => boolean): Tables[K][];
  /** The objects filed under `key` in one of the table's indexes (see indexes.ts), in no set order. */
  byIndex<K extends TableName>(table: K, index: IndexName<K>, key: string): Tables[K][];
  /** How many objects `byIndex` would return. */
  count<K extends TableName>(table: K, index: IndexName<K>, key: string): number;
  /** The keys that have at least one object in the index. */
  indexKeys<K extends TableName>(table: K, index: IndexName<K>): string[];
}

/**
 * A write transaction: reads see the transaction's own writes; nothing changes in the store until
 * the proposer has replicated the actions and the entry is applied.
 */
export interface WriteTx extends ReadTx {
  create<K extends TableName>(table: K, object: Unversioned<Tables[K]>): void;
  /** `object.meta.version` is the version read; it is checked at apply time. */
  update<K extends TableName>(table: K, object: Tables[K]): void;
  remove<K extends TableName>(table: K, id: string): void;
}

/**
 * Which events a watch listener hears; every given field must match. `nodeId`: events of tasks on
 * that node (before or after the change) and of the node itself. `serviceId`: events of that
 * service's tasks and of the service itself.
 */
export interface WatchFilter {
  tables?: readonly TableName[];
  nodeId?: string;
  serviceId?: string;
}

export interface Store {
  view(): ReadTx;
  /** Runs `fn`, proposes its actions, resolves with fn's result once applied; rejects on conflict. */
  update<R>(fn: (tx: WriteTx) => R): Promise<R>;
  /**
   * Listener sees every matching change after it is applied, in order, one call per entry (never
   * with an empty list). Returns an unsubscribe function.
   */
  watch(listener: (events: WatchEvent[]) => void, filter?: WatchFilter): () => void;
}

/** Every table as an array plus the index of the last applied entry: what a snapshot persists. */
export interface StoreSnapshot {
  index: number;
  tables: { [K in TableName]: Tables[K][] };
}

/**
 * The side of the store a proposer drives: it applies committed entries in index order, and takes
 * or restores snapshots. `MemoryStore` implements it; a proposer depends only on this interface.
 */
export interface StateMachine {
  /** Deterministic: the same entries on the same state give the same state and results. */
  applyEntry(entry: LogEntry): TransactionResult[];
  snapshot(): StoreSnapshot;
  /**
   * `JSON.stringify(snapshot())` of the state now, in slices of about `sliceChars` characters that
   * are encoded one step at a time (apply may go on between steps; the slices keep the state now).
   */
  snapshotSlices(sliceChars: number): Iterable<string>;
  restore(snapshot: StoreSnapshot): void;
  /** Index of the last applied entry (0 when empty). */
  readonly lastIndex: number;
}
