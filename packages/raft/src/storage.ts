import type { Entry, HardState } from './types.js';

/**
 * What the Raft core reads from stable storage. The driver writes to it (after each Ready); the
 * core never does. This slice has no snapshots, so the log always starts at index 1.
 */
export interface Storage {
  initialState(): HardState;
  /** Index of the last stored entry (0 when the log is empty). */
  lastIndex(): number;
  /** Term of the entry at `index`, 0 for index 0, undefined when not stored. */
  term(index: number): number | undefined;
  /** Entries in [lo, hi). */
  entries(lo: number, hi: number): Entry[];
}

/** Storage kept in memory, for tests and simulations. */
export class MemoryStorage implements Storage {
  private hardState: HardState = { term: 0, vote: 0, commit: 0 };
  /** ents[i] is the entry at index i + 1. */
  private ents: Entry[] = [];

  initialState(): HardState {
    return { ...this.hardState };
  }

  setHardState(hs: HardState): void {
    this.hardState = { ...hs };
  }

  lastIndex(): number {
    return this.ents.length;
  }

  term(index: number): number | undefined {
    if (index === 0) return 0;
    return this.ents[index - 1]?.term;
  }

  entries(lo: number, hi: number): Entry[] {
    if (lo < 1 || hi > this.ents.length + 1 || lo > hi) {
      throw new Error(`entries [${lo}, ${hi}) out of bounds (last index ${this.ents.length})`);
    }
    return this.ents.slice(lo - 1, hi - 1);
  }

  /** Appends entries, first dropping any stored entry at or after the first new index. */
  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    if (first.index > this.ents.length + 1) {
      throw new Error(`append at ${first.index} leaves a gap after ${this.ents.length}`);
    }
    this.ents.length = first.index - 1;
    this.ents.push(...entries);
  }
}
