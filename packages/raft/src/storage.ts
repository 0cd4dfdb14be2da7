import type { ConfState, Entry, HardState, Snapshot } from './types.js';

/**
 * What the Raft core reads from stable storage. The driver writes to it (after each Ready); the
 * core never does. The log starts after the compaction point: entries up to `firstIndex() - 1`
 * live only in the snapshot, but the term of `firstIndex() - 1` is still known.
 */
export interface Storage {
  initialState(): HardState;
  /** Index of the first stored entry (1 until the log is compacted). */
  firstIndex(): number;
  /** Index of the last stored entry (the compaction point when no entry follows it). */
  lastIndex(): number;
  /**
   * Term of the entry at `index`: 0 for index 0, the compaction point's term for
   * `firstIndex() - 1`, undefined when compacted away or not stored.
   */
  term(index: number): number | undefined;
  /** Entries in [lo, hi); `lo` must be at least `firstIndex()`. */
  entries(lo: number, hi: number): Entry[];
  /** The newest snapshot (index 0 when there is none). */
  snapshot(): Snapshot;
}

/** Storage kept in memory, for tests and simulations. */
export class MemoryStorage implements Storage {
  private hardState: HardState = { term: 0, vote: 0, commit: 0 };
  private snap: Snapshot = { index: 0, term: 0, voters: [], learners: [], data: '' };
  /** The compaction point: the last entry dropped from `ents` (index 0, term 0 at first). */
  private dummy = { index: 0, term: 0 };
  /** ents[i] is the entry at index dummy.index + 1 + i. */
  private ents: Entry[] = [];

  initialState(): HardState {
    return { ...this.hardState };
  }

  setHardState(hs: HardState): void {
    this.hardState = { ...hs };
  }

  firstIndex(): number {
    return this.dummy.index + 1;
  }

  lastIndex(): number {
    return this.dummy.index + this.ents.length;
  }

  term(index: number): number | undefined {
    if (index === this.dummy.index) return this.dummy.term;
    if (index < this.dummy.index) return undefined;
    return this.ents[index - this.dummy.index - 1]?.term;
  }

  entries(lo: number, hi: number): Entry[] {
    if (lo < this.firstIndex() || hi > this.lastIndex() + 1 || lo > hi) {
      throw new Error(`entries [${lo}, ${hi}) out of bounds (first ${this.firstIndex()}, last ${this.lastIndex()})`);
    }
    return this.ents.slice(lo - this.firstIndex(), hi - this.firstIndex());
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Appends entries, first dropping any stored entry at or after the first new index. */
  append(entries: readonly Entry[]): void {
    const kept = entries.filter((e) => e.index > this.dummy.index); // already in the snapshot
    const first = kept[0];
    if (first === undefined) return;
    if (first.index > this.lastIndex() + 1) {
      throw new Error(`append at ${first.index} leaves a gap after ${this.lastIndex()}`);
    }
    this.ents.length = first.index - this.firstIndex();
    this.ents.push(...kept);
  }

  /**
   * Records a snapshot the driver took of its state machine at `index` (applied, so committed),
   * with `conf` the configuration in force at `index`. Does not drop entries; `compact` does.
   */
  createSnapshot(index: number, conf: ConfState, data: Uint8Array | string): Snapshot {
    if (index <= this.snap.index) throw new Error(`snapshot at ${index} is not newer than ${this.snap.index}`);
    if (index > this.hardState.commit) throw new Error(`snapshot at ${index} is past commit ${this.hardState.commit}`);
    const term = this.term(index);
    if (term === undefined) throw new Error(`snapshot at ${index}: entry compacted or missing`);
    this.snap = { index, term, voters: [...conf.voters], learners: [...conf.learners], data };
    return this.snap;
  }

  /**
   * Drops the entries up to and including `index`, keeping its term for the log-matching check.
   * `index` must be covered by the snapshot, so that a follower that needs them can get it.
   */
  compact(index: number): void {
    if (index <= this.dummy.index) return;
    if (index > this.snap.index) throw new Error(`compact to ${index} is past the snapshot at ${this.snap.index}`);
    const term = this.term(index);
    if (term === undefined) throw new Error(`compact to ${index}: no entry`);
    this.ents = this.ents.slice(index - this.dummy.index);
    this.dummy = { index, term };
  }

  /** Replaces the log with a snapshot received from the leader (Ready.snapshot). */
  applySnapshot(snap: Snapshot): void {
    if (snap.index <= this.snap.index) throw new Error(`snapshot at ${snap.index} is not newer than ${this.snap.index}`);
    this.snap = { ...snap, voters: [...snap.voters], learners: [...snap.learners] };
    this.dummy = { index: snap.index, term: snap.term };
    this.ents = [];
  }
}
