import type { TableMaps } from './table-set.js';
import type { ReadTx, TableName, Tables } from './types.js';

/** A ReadTx over maps that nobody changes any more (see TableSet.share). */
export function readView(maps: Readonly<TableMaps>): ReadTx {
  return {
    get: <K extends TableName>(table: K, id: string) => maps[table].get(id) as Tables[K] | undefined,
    list: <K extends TableName>(table: K) => [...maps[table].values()] as Tables[K][],
    find: <K extends TableName>(table: K, predicate: (o: Tables[K]) => boolean) => {
      const found: Tables[K][] = [];
      for (const o of maps[table].values() as Iterable<Tables[K]>) if (predicate(o)) found.push(o);
      return found;
    },
  };
}
