import { assert, unavailable, type Clock } from '@shoal/common';
import type { LogEntry, Proposer, StateMachine, StoreAction, TransactionResult } from '../store/types.js';
import { entryKey, frame, SNAPSHOT_KEY } from './log-codec.js';
import type { LogStorage, StorageOp } from './log-storage.js';
import { recoverLog } from './recover-log.js';

export interface LocalLogProposerOptions {
  storage: LogStorage;
  /** What committed entries are applied to (the MemoryStore). */
  machine: StateMachine;
  /** Chooses each entry's time. */
  clock: Clock;
  /** Runs `fn` after the current tick, so one tick's proposals share an entry (setImmediate in io/). */
  defer: (fn: () => void) => void;
  /** Take a snapshot and drop the entries it covers every this many entries (default 1000). */
  snapshotInterval?: number;
  /** Entries being written at once (default 4); they are still applied in index order. */
  maxInFlight?: number;
  /** Transactions in one entry at most (default 1000). */
  maxTransactionsPerEntry?: number;
}

interface Waiting {
  actions: StoreAction[];
  resolve(result: TransactionResult): void;
  reject(error: unknown): void;
}

interface InFlight {
  json: string;
  waiting: Waiting[];
  written: boolean;
}

/**
 * A replicated log with one member: each entry is committed once it is durably written to local
 * storage, then applied to the state machine. Proposals of one tick are batched into one entry;
 * several entries may be written at once, and they are applied strictly in index order.
 */
export class LocalLogProposer implements Proposer {
  private readonly queue: Waiting[] = [];
  private readonly inFlight: InFlight[] = [];
  private readonly idleWaiters: Array<() => void> = [];
  private flushScheduled = false;
  private pendingWrites = 0;
  private snapshotting = false;
  private closing: Promise<void> | undefined;
  private failure: unknown;
  private nextIndex: number;
  private lastTime = 0;
  private snapshotAt: number;

  /** Recovers the state machine from storage (snapshot + replay), then accepts proposals. */
  static async open(options: LocalLogProposerOptions): Promise<LocalLogProposer> {
    try {
      const recovered = recoverLog(await options.storage.load(), options.machine);
      if (recovered.staleKeys.length > 0) await options.storage.write(recovered.staleKeys.map((key) => ({ type: 'del', key })));
      return new LocalLogProposer(options, recovered.lastIndex, recovered.snapshotIndex);
    } catch (error) {
      await options.storage.close();
      throw error;
    }
  }

  private constructor(
    private readonly options: LocalLogProposerOptions,
    lastIndex: number,
    snapshotIndex: number,
  ) {
    this.nextIndex = lastIndex + 1;
    this.snapshotAt = snapshotIndex;
  }

  /** Index of the last entry handed to storage. */
  get lastIndex(): number {
    return this.nextIndex - 1;
  }

  /** Index covered by the latest durable snapshot (0 when none). */
  get snapshotIndex(): number {
    return this.snapshotAt;
  }

  propose(actions: StoreAction[]): Promise<TransactionResult> {
    if (this.failure !== undefined) return Promise.reject(unavailable(`the local log failed: ${describe(this.failure)}`));
    if (this.closing) return Promise.reject(unavailable('the store is closed'));
    if (actions.length === 0) return Promise.resolve({ ok: true });
    return new Promise((resolve, reject) => {
      this.queue.push({ actions, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Writes and applies everything already proposed, then closes the storage. */
  close(): Promise<void> {
    this.closing ??= this.idle().then(() => this.options.storage.close());
    return this.closing;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.options.defer(() => {
      this.flushScheduled = false;
      this.flush();
      this.checkIdle();
    });
  }

  private flush(): void {
    const maxInFlight = this.options.maxInFlight ?? 4;
    const perEntry = this.options.maxTransactionsPerEntry ?? 1000;
    while (this.queue.length > 0 && this.inFlight.length < maxInFlight && this.failure === undefined) {
      this.startWrite(this.queue.splice(0, perEntry));
    }
  }

  private startWrite(waiting: Waiting[]): void {
    this.lastTime = Math.max(this.lastTime, this.options.clock.now());
    const entry: LogEntry = { index: this.nextIndex++, time: this.lastTime, transactions: waiting.map((w) => w.actions) };
    const slot: InFlight = { json: JSON.stringify(entry), waiting, written: false };
    this.inFlight.push(slot);
    this.write([{ type: 'put', key: entryKey(entry.index), value: frame(slot.json) }], () => {
      slot.written = true;
      this.drain();
    });
  }

  /** Applies the written entries at the head of the pipeline, in index order. */
  private drain(): void {
    while (this.failure === undefined && this.inFlight[0]?.written) {
      const slot = this.inFlight.shift()!;
      // Apply what was stored, not the in-memory objects: live and replayed stores stay identical.
      const entry = JSON.parse(slot.json) as LogEntry;
      const results = this.applyOrFail(entry);
      slot.waiting.forEach((w, i) => w.resolve(results[i]!));
      this.maybeSnapshot(entry.index);
    }
    this.flush();
    this.checkIdle();
  }

  private applyOrFail(entry: LogEntry): TransactionResult[] {
    try {
      const results = this.options.machine.applyEntry(entry);
      assert(results.length === entry.transactions.length, 'one result per transaction');
      return results;
    } catch (error) {
      this.fail(error);
      throw error;
    }
  }

  private maybeSnapshot(index: number): void {
    if (this.snapshotting || index - this.snapshotAt < (this.options.snapshotInterval ?? 1000)) return;
    this.snapshotting = true;
    const ops: StorageOp[] = [{ type: 'put', key: SNAPSHOT_KEY, value: frame(JSON.stringify(this.options.machine.snapshot())) }];
    for (let i = this.snapshotAt + 1; i <= index; i++) ops.push({ type: 'del', key: entryKey(i) });
    this.write(ops, () => {
      this.snapshotAt = index;
      this.snapshotting = false;
    });
  }

  /** Starts a durable write; on failure the log stops and every waiting proposal is rejected. */
  private write(ops: StorageOp[], done: () => void): void {
    this.pendingWrites++;
    this.options.storage.write(ops).then(
      () => {
        this.pendingWrites--;
        if (this.failure === undefined) done();
        this.checkIdle();
      },
      (error: unknown) => {
        this.pendingWrites--;
        this.fail(error);
      },
    );
  }

  private fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error ?? new Error('unknown failure');
    const rejected = unavailable(`the local log failed: ${describe(error)}`);
    for (const w of this.queue.splice(0)) w.reject(rejected);
    for (const slot of this.inFlight.splice(0)) for (const w of slot.waiting) w.reject(rejected);
    this.snapshotting = false;
    this.checkIdle();
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  private checkIdle(): void {
    const busy = this.queue.length > 0 || this.inFlight.length > 0 || this.pendingWrites > 0 || this.flushScheduled;
    if (busy) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
