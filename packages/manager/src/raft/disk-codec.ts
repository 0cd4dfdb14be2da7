import type { Entry, HardState, Snapshot } from '@shoal/raft';
import { CorruptLogError, frame, unframe } from '../disk/framing.js';
import { decodeEntry, decodeSnapshot, encodeEntry, encodeSnapshot, readRawData, withRawData, type EncodedEntry, type EncodedSnapshot } from './wire-codec.js';

/**
 * How a manager's Raft state lies in LevelDB: the hard state under `raft/hard`, the latest
 * snapshot under `raft/snapshot`, entries under `raft/entry/` + the index padded to 16 digits (key
 * order is index order). Every value is `<crc32 hex>:<text>`, checked when read; the text is JSON,
 * and for entries and snapshots with string data, that data after the JSON unescaped (wire-codec's
 * withRawData; values written before, with the data inside the JSON, are still read).
 */
export const HARD_STATE_KEY = 'raft/hard';
export const SNAPSHOT_KEY = 'raft/snapshot';
export const ENTRY_PREFIX = 'raft/entry/';
/** This manager's Raft ID, written once when it bootstraps or joins. */
export const RAFT_ID_KEY = 'raft/id';

export const entryKey = (index: number): string => ENTRY_PREFIX + String(index).padStart(16, '0');

export const encodeRaftId = (raftId: number): string => frame(JSON.stringify({ raftId }));
export const encodeHardState = (hs: HardState): string => frame(JSON.stringify(hs));
export const encodeStoredSnapshot = (s: Snapshot): string => frame(withRawData((out) => encodeSnapshot(s, out)));
export const encodeStoredEntry = (e: Entry): string => frame(withRawData((out) => encodeEntry(e, out)));

/** What a manager finds on disk when it starts. */
export interface DiskState {
  hardState: HardState;
  snapshot: Snapshot | undefined;
  /** Contiguous entries after the snapshot (older tail entries are dropped on load). */
  entries: Entry[];
  raftId: number | undefined;
  /** The lowest entry index with a key on disk (a tail kept below the snapshot), or undefined. */
  lowestStored: number | undefined;
}

/**
 * Decodes every stored record, checking checksums, that entries are contiguous and follow the
 * snapshot, and that the commit index is within the log. Anything else is a CorruptLogError that
 * names what is wrong: the node stops rather than diverge silently.
 */
export function decodeDiskState(records: Array<[string, string]>): DiskState {
  let hardState: HardState = { term: 0, vote: 0, commit: 0 };
  let snapshot: Snapshot | undefined;
  let raftId: number | undefined;
  const stored: Entry[] = [];
  for (const [key, value] of records) {
    if (key === HARD_STATE_KEY) hardState = parseAs<HardState>(value, 'raft hard state');
    else if (key === SNAPSHOT_KEY) snapshot = decodeOr(() => readRawData(unframe(value, 'raft snapshot'), (json, input) => decodeSnapshot(json as EncodedSnapshot, input)), 'raft snapshot');
    else if (key.startsWith(ENTRY_PREFIX)) stored.push(decodeStored(key, value));
    else if (key === RAFT_ID_KEY) raftId = parseAs<{ raftId: number }>(value, 'raft id').raftId;
  }
  const base = snapshot?.index ?? 0;
  const entries = stored.filter((e) => e.index > base);
  checkContiguous(entries, base);
  const last = entries.at(-1)?.index ?? base;
  if (hardState.commit > last) {
    throw new CorruptLogError('raft log', `ends at index ${last} but the commit index is ${hardState.commit} (torn log)`);
  }
  return { hardState, snapshot, entries, raftId, lowestStored: stored[0]?.index };
}

function decodeStored(key: string, value: string): Entry {
  const index = Number(key.slice(ENTRY_PREFIX.length));
  const what = `raft entry at index ${index}`;
  const entry = decodeOr(() => readRawData(unframe(value, what), (json, input) => decodeEntry(json as EncodedEntry, input)), what);
  if (entry.index !== index) throw new CorruptLogError(what, `holds the entry of index ${entry.index}`);
  return entry;
}

/** The entries after the snapshot must follow it without a gap (the tail below it is not used). */
function checkContiguous(entries: Entry[], base: number): void {
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.index !== entries[i - 1]!.index + 1) {
      throw new CorruptLogError('raft log', `has a gap between index ${entries[i - 1]!.index} and ${entries[i]!.index} (torn log)`);
    }
  }
  const first = entries[0];
  if (first && first.index !== base + 1) {
    throw new CorruptLogError('raft log', `starts at index ${first.index} after a snapshot at ${base} (torn log)`);
  }
}

function parseAs<T>(value: string, what: string): T {
  const json = unframe(value, what);
  try {
    return JSON.parse(json) as T;
  } catch {
    throw new CorruptLogError(what, 'is not valid JSON');
  }
}

function decodeOr<T>(fn: () => T, what: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CorruptLogError) throw e;
    throw new CorruptLogError(what, 'is malformed');
  }
}
