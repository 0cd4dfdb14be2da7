import type { Member } from './members.js';

/**
 * The text of `encodeSnapshotData` in slices, around the slices of the store's own snapshot (see
 * StateMachine.snapshotSlices): joined, they equal `JSON.stringify({ store, members })`.
 */
export function* snapshotSlices(store: Iterable<string>, members: readonly Member[]): Generator<string, void, undefined> {
  let head = '{"store":';
  for (const slice of store) {
    yield head + slice;
    head = '';
  }
  yield `${head},"members":${JSON.stringify(members)}}`;
}
