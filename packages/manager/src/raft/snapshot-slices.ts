import { TABLE_NAMES, type StoreSnapshotSource } from '../store/types.js';
import type { Member } from './members.js';

/** Characters of JSON one slice holds (past one object): about a few milliseconds of encoding. */
export const SNAPSHOT_SLICE_CHARS = 1 << 20;

/**
 * The text of `encodeSnapshotData` for the store at one moment, in slices: each step of the
 * generator encodes objects until about `sliceChars` characters, so a caller can yield to the
 * event loop between steps. The source is a persistent view, so entries may be applied meanwhile;
 * the slices joined equal `JSON.stringify` of the same snapshot.
 */
export function* snapshotSlices(source: StoreSnapshotSource, members: readonly Member[], sliceChars = SNAPSHOT_SLICE_CHARS): Generator<string, void, undefined> {
  let parts: string[] = [`{"store":{"index":${JSON.stringify(source.index)},"tables":{`];
  let size = 0;
  for (const [i, table] of TABLE_NAMES.entries()) {
    parts.push(`${i === 0 ? '' : ','}${JSON.stringify(table)}:[`);
    let first = true;
    for (const object of source.tables[table]) {
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
  parts.push(`}},"members":${JSON.stringify(members)}}`);
  yield parts.join('');
}
