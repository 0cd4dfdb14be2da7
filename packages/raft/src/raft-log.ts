import type { Storage } from './storage.js';
import type { Entry, Snapshot } from './types.js';

/**
 * The log as the core sees it: what is on stable storage, followed by entries not yet persisted
 * (`unstable`, starting at `offset`). An unstable tail may replace a suffix of stable storage
 * after a conflict; the driver's next append then truncates storage.
 */
export class RaftLog {
  committed: number;
  applied: number;
  private offset: number;
  private unstable: Entry[] = [];
  /** A snapshot received from the leader and not yet persisted by the driver. */
  pendingSnapshot: Snapshot | undefined;

  constructor(
    private readonly storage: Storage,
    committed: number,
  ) {
    this.offset = storage.lastIndex() + 1;
    // The driver restores its state machine from the stored snapshot before starting the node.
    const snapIndex = storage.snapshot().index;
    this.committed = Math.max(committed, snapIndex);
    this.applied = snapIndex;
  }

  /** The first index still held as an entry; earlier ones only exist in a snapshot. */
  firstIndex(): number {
    return this.pendingSnapshot !== undefined ? this.pendingSnapshot.index + 1 : this.storage.firstIndex();
  }

  /** The snapshot a follower that needs compacted entries gets. */
  snapshot(): Snapshot {
    return this.pendingSnapshot ?? this.storage.snapshot();
  }

  /**
   * Replaces the log with a snapshot from the leader: everything up to its index is committed and
   * (once the driver restores it) applied; the driver gets it in the next Ready.
   */
  restore(snap: Snapshot): void {
    this.pendingSnapshot = snap;
    this.committed = snap.index;
    this.applied = snap.index;
    this.offset = snap.index + 1;
    this.unstable = [];
  }

  /** The driver has persisted the snapshot at `index`. */
  stableSnapTo(index: number): void {
    if (this.pendingSnapshot?.index === index) this.pendingSnapshot = undefined;
  }

  lastIndex(): number {
    return this.unstable.length > 0 ? this.offset + this.unstable.length - 1 : this.offset - 1;
  }

  /** The last index on stable storage (entries after it are not persisted yet). */
  stableLastIndex(): number {
    return this.offset - 1;
  }

  lastTerm(): number {
    return this.term(this.lastIndex()) ?? 0;
  }

  /** Term of the entry at `index`, or undefined when there is none. */
  term(index: number): number | undefined {
    if (index >= this.offset) return this.unstable[index - this.offset]?.term;
    const snap = this.pendingSnapshot;
    if (snap !== undefined) return index === snap.index ? snap.term : undefined;
    return this.storage.term(index);
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** Entries in [lo, hi). */
  slice(lo: number, hi: number): Entry[] {
    if (lo >= hi) return [];
    const stable = lo < this.offset ? this.storage.entries(lo, Math.min(hi, this.offset)) : [];
    const from = Math.max(lo, this.offset) - this.offset;
    const to = hi - this.offset;
    return to > from ? stable.concat(this.unstable.slice(from, to)) : stable;
  }

  /** Appends entries, replacing any entries at or after the first new index. */
  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    if (first.index <= this.committed) {
      throw new Error(`append at ${first.index} would overwrite committed entries (commit ${this.committed})`);
    }
    const end = this.offset + this.unstable.length;
    if (first.index === end) {
      this.unstable.push(...entries);
    } else if (first.index <= this.offset) {
      this.offset = first.index;
      this.unstable = [...entries];
    } else {
      this.unstable = this.unstable.slice(0, first.index - this.offset).concat(entries);
    }
  }

  /**
   * The follower's side of the log-matching check: when our entry at `index` has `logTerm`,
   * skip the entries we already have, truncate at the first conflict and append the rest.
   * Returns the index of the last new entry, or undefined when the check fails.
   */
  maybeAppend(index: number, logTerm: number, entries: readonly Entry[]): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const conflict = this.findConflict(entries);
    if (conflict !== undefined) this.append(entries.slice(conflict - index - 1));
    return index + entries.length;
  }

  /** Index of the first entry that is new or whose term differs from ours. */
  private findConflict(entries: readonly Entry[]): number | undefined {
    return entries.find((e) => !this.matchTerm(e.index, e.term))?.index;
  }

  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex());
  }

  commitTo(index: number): boolean {
    if (index <= this.committed) return false;
    if (index > this.lastIndex()) throw new Error(`commit ${index} is past the last index ${this.lastIndex()}`);
    this.committed = index;
    return true;
  }

  unstableEntries(): Entry[] {
    return [...this.unstable];
  }

  /** The driver has persisted entries up to `index` (with `term`). */
  stableTo(index: number, term: number): void {
    if (index < this.offset || this.term(index) !== term) return;
    this.unstable = this.unstable.slice(index + 1 - this.offset);
    this.offset = index + 1;
  }

  committedToApply(): Entry[] {
    return this.slice(this.applied + 1, this.committed + 1);
  }

  /** Is a conf entry committed but not yet applied (in (applied, committed])? */
  hasUnappliedConf(): boolean {
    if (this.committed <= this.applied) return false;
    return this.slice(this.applied + 1, this.committed + 1).some((e) => e.type === 'conf');
  }

  appliedTo(index: number): void {
    if (index > this.committed) throw new Error(`applied ${index} is past commit ${this.committed}`);
    this.applied = Math.max(this.applied, index);
  }
}
