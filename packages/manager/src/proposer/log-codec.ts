import { ERROR_CODES, ShoalError } from '@shoal/common';
import type { LogEntry, StoreSnapshot } from '../store/types.js';
import { crc32Hex } from './crc32.js';

/**
 * How the local log lays out its keys and values. Entries live under `entry/` + the index padded
 * to 16 digits (so key order is index order); the latest snapshot under `snapshot`. Every value
 * is `<crc32 hex of the JSON>:<JSON>` and is verified when read.
 */
export const ENTRY_PREFIX = 'entry/';
export const SNAPSHOT_KEY = 'snapshot';

export const entryKey = (index: number): string => ENTRY_PREFIX + String(index).padStart(16, '0');

/** The index in an entry key, or undefined when the key is not an entry key. */
export function indexOfKey(key: string): number | undefined {
  if (!key.startsWith(ENTRY_PREFIX)) return undefined;
  const index = Number(key.slice(ENTRY_PREFIX.length));
  return Number.isSafeInteger(index) && index > 0 ? index : undefined;
}

export const frame = (json: string): string => `${crc32Hex(json)}:${json}`;

export class CorruptLogError extends ShoalError {
  constructor(what: string, reason: string) {
    super(ERROR_CODES.INTERNAL, `corrupt local log: ${what} ${reason}; the store's data directory is damaged`);
    this.name = 'CorruptLogError';
  }
}

/** The JSON inside a framed value, after checking its checksum. `what` names it in errors. */
export function unframe(value: string, what: string): string {
  const colon = value.indexOf(':');
  if (colon !== 8) throw new CorruptLogError(what, 'has no checksum');
  const json = value.slice(colon + 1);
  const expected = value.slice(0, colon);
  const actual = crc32Hex(json);
  if (actual !== expected) throw new CorruptLogError(what, `fails its checksum (stored ${expected}, computed ${actual})`);
  return json;
}

export function decodeEntry(value: string, index: number): LogEntry {
  const what = `entry at index ${index}`;
  const entry = parse(unframe(value, what), what) as LogEntry;
  if (entry?.index !== index || !Array.isArray(entry.transactions)) throw new CorruptLogError(what, 'does not hold that entry');
  return entry;
}

export function decodeSnapshot(value: string): StoreSnapshot {
  const snapshot = parse(unframe(value, 'snapshot'), 'snapshot') as StoreSnapshot;
  if (!Number.isSafeInteger(snapshot?.index) || typeof snapshot.tables !== 'object') throw new CorruptLogError('snapshot', 'is malformed');
  return snapshot;
}

function parse(json: string, what: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new CorruptLogError(what, 'is not valid JSON');
  }
}
