import { indexKeyFn } from './indexes.js';
import type { TableState } from './table-set.js';
import type { IndexName } from './indexes.js';
import type { ReadTx, TableName, Tables } from './types.js';

/** A ReadTx over a state that nobody changes any more (see TableSet.share). */
export function readView(state: TableState): ReadTx {
  const { tables, indexes } = state;
  const ids = (table: TableName, index: string, key: string) => {
    indexKeyFn(table, index);
    return indexes.get(`${table}/${index}`)?.get(key);
  };
  return {
    get: <K extends TableName>(table: K, id: string) => tables[table].get(id) as Tables[K] | undefined,
    list: <K extends TableName>(table: K) => [...tables[table].values()] as Tables[K][],
    find: <K extends TableName>(table: K, predicate: (o: Tables[K]) => boolean) => {
      const found: Tables[K][] = [];
      for (const o of tables[table].values() as Iterable<Tables[K]>) if (predicate(o)) found.push(o);
      return found;
    },
    byIndex: <K extends TableName>(table: K, index: IndexName<K>, key: string) => {
      const found: Tables[K][] = [];
      for (const id of ids(table, index, key) ?? []) found.push(tables[table].get(id) as Tables[K]);
      return found;
    },
    count: <K extends TableName>(table: K, index: IndexName<K>, key: string) => ids(table, index, key)?.size ?? 0,
    indexKeys: <K extends TableName>(table: K, index: IndexName<K>) => {
      indexKeyFn(table, index);
      return [...(indexes.get(`${table}/${index}`)?.keys() ?? [])];
    },
  };
}
