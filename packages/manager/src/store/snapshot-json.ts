import { TABLE_NAMES, type TableName, type Tables } from './types.js';

/**
 * `JSON.stringify` of a StoreSnapshot, in slices: each step of the generator encodes objects
 * until about `sliceChars` characters, so that a caller can let other events run between steps.
 * The tables must be a persistent view (see TableSet.iterables): entries applied meanwhile leave
 * it alone.
 */
export function* storeSnapshotSlices(index: number, tables: { [K in TableName]: Iterable<Tables[K]> }, sliceChars: number): Generator<string, void, undefined> {
  let parts: string[] = [`{"index":${JSON.stringify(index)},"tables":{`];
  let size = 0;
  for (const [i, table] of TABLE_NAMES.entries()) {
    parts.push(`${i === 0 ? '' : ','}${JSON.stringify(table)}:[`);
    let first = true;
    for (const object of tables[table]) {
      if (!first) parts.push(',');
      first = false;
      const json = JSON.stringify(object);
      parts.push(json);
      size += json.length;
      if (size >= sliceChars) {
        yield parts.join('');
        parts = [];
        size = 0;
      }
    }
    parts.push(']');
  }
  parts.push('}}');
  yield parts.join('');
}
