import { assert } from '@shoal/common';
import type { LogEntry, StateMachine, StoreSnapshot } from '../store/types.js';
import { decodeEntry, decodeSnapshot, indexOfKey, SNAPSHOT_KEY } from './log-codec.js';

export interface RecoveredLog {
  /** Index of the last entry replayed (or of the snapshot when no entry follows it). */
  lastIndex: number;
  snapshotIndex: number;
  /**
   * Entry keys to delete: entries the snapshot already covers, and entries after a gap (a crash
   * while several writes were in flight: they were never applied nor acknowledged).
   */
  staleKeys: string[];
}

/**
 * Rebuilds the state machine from the stored log: the snapshot, then every entry that follows it
 * without a gap. Every value is checked before anything is applied; a damaged one throws a
 * CorruptLogError naming it.
 */
export function recoverLog(records: Array<[string, string]>, machine: StateMachine): RecoveredLog {
  assert(machine.lastIndex === 0, 'the local log recovers into an empty store');
  const snapshotRecord = records.find(([key]) => key === SNAPSHOT_KEY);
  const snapshot: StoreSnapshot | undefined = snapshotRecord && decodeSnapshot(snapshotRecord[1]);
  const base = snapshot?.index ?? 0;
  const entries: LogEntry[] = [];
  const staleKeys: string[] = [];
  let gap = false;
  for (const [key, value] of records) {
    const index = indexOfKey(key);
    if (index === undefined) continue;
    gap ||= index > base && index !== base + entries.length + 1;
    if (index <= base || gap) staleKeys.push(key);
    else entries.push(decodeEntry(value, index));
  }
  if (snapshot) machine.restore(snapshot);
  for (const entry of entries) machine.applyEntry(entry);
  return { lastIndex: base + entries.length, snapshotIndex: base, staleKeys };
}
