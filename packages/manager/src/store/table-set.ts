import { TABLE_NAMES, type StoreSnapshot, type TableName, type Tables } from './types.js';

/** One map per table, keyed by object id. */
export type TableMaps = { [K in TableName]: Map<string, Tables[K]> };

function emptyMaps(): TableMaps {
  return { clusters: new Map(), nodes: new Map(), services: new Map(), tasks: new Map() };
}

/**
 * The tables of the store with copy-on-write sharing: `share()` hands out the current maps to a
 * reader, and the next write to a shared table copies it first, so a reader's view never changes.
 * Objects are frozen, so the copy is shallow.
 */
export class TableSet {
  private maps: TableMaps = emptyMaps();
  private readonly shared = new Set<TableName>();

  get<K extends TableName>(table: K, id: string): Tables[K] | undefined {
    return this.maps[table].get(id);
  }

  share(): Readonly<TableMaps> {
    for (const table of TABLE_NAMES) this.shared.add(table);
    return { ...this.maps };
  }

  set<K extends TableName>(table: K, object: Tables[K]): void {
    this.writable(table).set(object.id, object);
  }

  delete(table: TableName, id: string): void {
    this.writable(table).delete(id);
  }

  toArrays(): StoreSnapshot['tables'] {
    const m = this.maps;
    return { clusters: [...m.clusters.values()], nodes: [...m.nodes.values()], services: [...m.services.values()], tasks: [...m.tasks.values()] };
  }

  /** Replaces every table with the given objects (already frozen by the caller). */
  load(tables: StoreSnapshot['tables']): void {
    const maps = emptyMaps();
    for (const table of TABLE_NAMES) {
      const map = maps[table] as Map<string, Tables[TableName]>;
      for (const object of tables[table] ?? []) map.set(object.id, object);
    }
    this.maps = maps;
    this.shared.clear();
  }

  private writable<K extends TableName>(table: K): TableMaps[K] {
    if (this.shared.has(table)) {
      this.maps[table] = new Map(this.maps[table]) as TableMaps[K];
      this.shared.delete(table);
    }
    return this.maps[table];
  }
}
