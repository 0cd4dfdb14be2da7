import { assert } from '@shoal/common';
import { Map as IMap, Set as ISet } from 'immutable';
import { indexesOf, keyList } from './indexes.js';
import { TABLE_NAMES, type StoreSnapshot, type TableName, type Tables } from './types.js';

type AnyObject = Tables[TableName];
/** id → object, for one table. */
export type Table = IMap<string, AnyObject>;
/** key → ids of the objects filed under it, for one index. */
export type Index = IMap<string, ISet<string>>;

/**
 * The whole state at one moment: persistent (structurally shared) maps, so a reader keeps its
 * state for free and a write copies only the paths it changes. `indexes` is keyed `table/index`.
 */
export interface TableState {
  readonly tables: Readonly<Record<TableName, Table>>;
  readonly indexes: ReadonlyMap<string, Index>;
}

function emptyState(): { tables: Record<TableName, Table>; indexes: Map<string, Index> } {
  const tables = {} as Record<TableName, Table>;
  const indexes = new Map<string, Index>();
  for (const table of TABLE_NAMES) {
    tables[table] = IMap();
    for (const [name] of indexesOf(table)) indexes.set(`${table}/${name}`, IMap());
  }
  return { tables, indexes };
}

/**
 * The tables of the store and their indexes. `share()` hands out the current state in O(1);
 * writes replace the maps with new versions that share all unchanged parts with the old ones.
 */
export class TableSet {
  private tables: Record<TableName, Table>;
  private indexes: Map<string, Index>;
  /** Inside `batch`: `table/index` → keys whose id sets were made mutable in this batch. */
  private touched: Map<string, Set<string>> | undefined;

  constructor() {
    ({ tables: this.tables, indexes: this.indexes } = emptyState());
  }

  get<K extends TableName>(table: K, id: string): Tables[K] | undefined {
    return this.tables[table].get(id) as Tables[K] | undefined;
  }

  /** Every object of a table (for the few checks that must see them all: networks are few). */
  list<K extends TableName>(table: K): Tables[K][] {
    return [...this.tables[table].values()] as Tables[K][];
  }

  /** Ids filed under `key` in index `table/index`. */
  idsBy(table: TableName, index: string, key: string): ISet<string> | undefined {
    return this.indexes.get(`${table}/${index}`)?.get(key);
  }

  /**
   * Runs `fn` (one entry's writes) on transient versions of the maps, which change in place
   * wherever they own their nodes; a view handed out before still holds nodes of its own.
   */
  batch<R>(fn: () => R): R {
    for (const table of TABLE_NAMES) this.tables[table] = this.tables[table].asMutable();
    for (const [at, index] of this.indexes) this.indexes.set(at, index.asMutable());
    this.touched = new Map();
    try {
      return fn();
    } finally {
      for (const table of TABLE_NAMES) this.tables[table] = this.tables[table].asImmutable();
      for (const [at, index] of this.indexes) {
        for (const key of this.touched.get(at) ?? []) {
          const ids = index.get(key);
          if (ids) index.set(key, ids.asImmutable());
        }
        this.indexes.set(at, index.asImmutable());
      }
      this.touched = undefined;
    }
  }

  share(): TableState {
    assert(this.touched === undefined, 'store state shared in the middle of an apply');
    return { tables: { ...this.tables }, indexes: new Map(this.indexes) };
  }

  set<K extends TableName>(table: K, object: Tables[K]): void {
    const old = this.get(table, object.id);
    this.tables[table] = this.tables[table].set(object.id, object);
    this.reindex(table, object.id, old, object);
  }

  delete(table: TableName, id: string): void {
    const old = this.get(table, id);
    this.tables[table] = this.tables[table].delete(id);
    this.reindex(table, id, old, undefined);
  }

  toArrays(): StoreSnapshot['tables'] {
    const t = this.tables;
    const arr = <K extends TableName>(k: K) => [...t[k].values()] as Tables[K][];
    return { clusters: arr('clusters'), nodes: arr('nodes'), services: arr('services'), tasks: arr('tasks'), networks: arr('networks') };
  }

  /** The objects of every table now, iterated lazily over maps that later writes replace, never change. */
  iterables(): { [K in TableName]: Iterable<Tables[K]> } {
    assert(this.touched === undefined, 'store state shared in the middle of an apply');
    const t = { ...this.tables }; // the record itself changes: each write puts a new map in it
    const it = <K extends TableName>(k: K) => ({ [Symbol.iterator]: () => t[k].values() }) as Iterable<Tables[K]>;
    return { clusters: it('clusters'), nodes: it('nodes'), services: it('services'), tasks: it('tasks'), networks: it('networks') };
  }

  /** Replaces every table with the given objects (already frozen by the caller). */
  load(tables: StoreSnapshot['tables']): void {
    ({ tables: this.tables, indexes: this.indexes } = emptyState());
    for (const table of TABLE_NAMES) {
      const objects = (tables[table] ?? []) as AnyObject[];
      this.tables[table] = IMap<string, AnyObject>().withMutations((m) => {
        for (const object of objects) m.set(object.id, object);
      });
      for (const [name, keyOf] of indexesOf(table)) {
        const byKey = new Map<string, string[]>();
        for (const object of objects) {
          for (const key of keyList(keyOf(object))) {
            const ids = byKey.get(key);
            if (ids) ids.push(object.id);
            else byKey.set(key, [object.id]);
          }
        }
        this.indexes.set(`${table}/${name}`, IMap([...byKey].map(([key, ids]) => [key, ISet(ids)])));
      }
    }
  }

  private file(at: string, key: string | undefined, id: string): void {
    if (key === undefined) return;
    const index = this.indexes.get(at)!;
    this.indexes.set(at, index.set(key, this.owned(at, key, index.get(key) ?? ISet<string>()).add(id)));
  }

  private unfile(at: string, key: string | undefined, id: string): void {
    if (key === undefined) return;
    const index = this.indexes.get(at)!;
    const ids = index.get(key);
    if (!ids) return;
    const rest = this.owned(at, key, ids).delete(id);
    this.indexes.set(at, rest.size === 0 ? index.delete(key) : index.set(key, rest));
  }

  /** Inside a batch, the id set made mutable (once) so that later changes are made in place. */
  private owned(at: string, key: string, ids: ISet<string>): ISet<string> {
    if (!this.touched) return ids;
    let keys = this.touched.get(at);
    if (!keys) this.touched.set(at, (keys = new Set()));
    if (keys.has(key)) return ids;
    keys.add(key);
    return ids.asMutable();
  }

  private reindex(table: TableName, id: string, old: AnyObject | undefined, now: AnyObject | undefined): void {
    for (const [name, keyOf] of indexesOf(table)) {
      const before = old && keyOf(old);
      const after = now && keyOf(now);
      if (before === after) continue;
      const at = `${table}/${name}`;
      if (typeof before !== 'object' && typeof after !== 'object') {
        this.unfile(at, before, id);
        this.file(at, after, id);
        continue;
      }
      const kept = new Set(keyList(after));
      for (const key of keyList(before)) if (!kept.delete(key)) this.unfile(at, key, id);
      for (const key of kept) this.file(at, key, id);
    }
  }
}
