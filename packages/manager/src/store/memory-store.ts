import { assert, conflict } from '@shoal/common';
import { applyEntryTo } from './apply-entry.js';
import { deepFreeze } from './deep-freeze.js';
import { readView } from './read-view.js';
import { storeSnapshotSlices } from './snapshot-json.js';
import { TableSet } from './table-set.js';
import type { LogEntry, Proposer, ReadTx, StateMachine, Store, StoreAction, StoreSnapshot, TransactionResult, WatchEvent, WatchFilter, WriteTx } from './types.js';
import { TABLE_NAMES } from './types.js';
import { Watchers } from './watchers.js';
import { BufferedWriteTx } from './write-tx.js';

type Listener = (events: WatchEvent[]) => void;

export interface MemoryStoreOptions {
  /** May also be set later with `setProposer` (the proposer usually needs the store first). */
  proposer?: Proposer;
  /** Called when a watch listener throws; by default the error is rethrown outside the apply. */
  onListenerError?: (error: unknown) => void;
}

/** Outside the apply: an unhandled rejection, which stops the process unless the host says otherwise. */
const rethrowLater = (error: unknown): void => {
  void Promise.reject(error);
};

/**
 * The cluster state in memory. Writes go out through the Proposer as actions; the tables change
 * only in `applyEntry`, which the proposer calls for each committed entry in index order.
 */
export class MemoryStore implements Store, StateMachine {
  private readonly tables = new TableSet();
  private readonly watchers = new Watchers();
  private readonly onListenerError: (error: unknown) => void;
  private proposer: Proposer | undefined;
  private applied = 0;
  /** The view of the current state, handed to every reader until the next apply (it never changes). */
  private current: ReadTx | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.proposer = options.proposer;
    this.onListenerError = options.onListenerError ?? rethrowLater;
  }

  setProposer(proposer: Proposer): void {
    assert(this.proposer === undefined, 'store already has a proposer');
    this.proposer = proposer;
  }

  get lastIndex(): number {
    return this.applied;
  }

  view(): ReadTx {
    return (this.current ??= readView(this.tables.share()));
  }

  async update<R>(fn: (tx: WriteTx) => R): Promise<R> {
    const tx = new BufferedWriteTx(this.view());
    let result: R;
    let actions: StoreAction[];
    try {
      result = fn(tx);
    } finally {
      actions = tx.close();
    }
    assert(!(result instanceof Promise), 'store.update() callback must be synchronous');
    if (actions.length === 0) return result;
    assert(this.proposer, 'store has no proposer: call setProposer() before update()');
    const outcome = await this.proposer.propose(actions);
    if (!outcome.ok) throw conflict(outcome.error);
    return result;
  }

  watch(listener: Listener, filter?: WatchFilter): () => void {
    return this.watchers.add(listener, filter);
  }

  applyEntry(entry: LogEntry): TransactionResult[] {
    assert(entry.index > this.applied, `entry ${entry.index} applied after entry ${this.applied}`);
    this.current = undefined;
    const { results, events } = this.tables.batch(() => applyEntryTo(this.tables, entry));
    this.applied = entry.index;
    if (events.length > 0) this.notify(events);
    return results;
  }

  snapshot(): StoreSnapshot {
    return { index: this.applied, tables: this.tables.toArrays() };
  }

  snapshotSlices(sliceChars: number): Iterable<string> {
    return storeSnapshotSlices(this.applied, this.tables.iterables(), sliceChars);
  }

  /** Replaces the whole state; watch listeners are not told (they see later entries only). */
  restore(snapshot: StoreSnapshot): void {
    for (const table of TABLE_NAMES) for (const object of snapshot.tables[table] ?? []) deepFreeze(object);
    this.current = undefined;
    this.tables.load(snapshot.tables);
    this.applied = snapshot.index;
  }

  private notify(events: WatchEvent[]): void {
    for (const [listener, heard] of this.watchers.route(events)) {
      try {
        listener(heard);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
