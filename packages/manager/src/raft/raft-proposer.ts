import { resourceExhausted, unavailable, type Clock, type Rng, type ShoalError } from '@shoal/common';
import type { Proposer, StoreAction, TransactionResult } from '../store/types.js';
import type { RaftHost } from './raft-host.js';
import { noQuorumError, quorumOf, type Reachability } from './quorum.js';
import { encodeProposal } from './state-machine-data.js';
import { diskFilledInFlightError, diskFullError } from './disk-full.js';

export interface RaftProposerOptions {
  host: RaftHost;
  clock: Clock;
  /** Makes this proposer's IDs unique across restarts. */
  rng: Rng;
  /** Runs `fn` after the current tick, so one tick's writes share an entry (setImmediate in io/). */
  defer: (fn: () => void) => void;
  schedule: (delayMs: number, fn: () => void) => () => void;
  /** How many voting managers are reachable now, for the error of a write that cannot commit. */
  reachability: () => Reachability;
  /** A write not applied within this time fails (default 5 s); leadership loss fails it sooner. */
  timeoutMs?: number;
  maxTransactionsPerEntry?: number;
  /** Transactions queued or in flight at most (default 10,000); beyond it a write fails at once. */
  maxPendingTransactions?: number;
  /** True while this manager's disk is too full to persist an entry: writes are refused at once. */
  diskFull?: () => boolean;
  trace?: (msg: string, fields?: Record<string, unknown>) => void;
}

interface Waiting {
  actions: StoreAction[];
  resolve(result: TransactionResult): void;
  reject(error: unknown): void;
}

interface InFlight {
  waiting: Waiting[];
  cancelTimer: () => void;
}

/**
 * The store's proposer over Raft: the writes of one tick go into one entry (many entries may be
 * in flight: Raft pipelines them); each caller resolves when its entry is applied here, and fails
 * with a retryable error if this manager stops leading first (the write may or may not commit).
 */
export class RaftProposer implements Proposer {
  private queue: Waiting[] = [];
  private readonly inFlight = new Map<string, InFlight>();
  private flushScheduled = false;
  /** Transactions queued or in flight: bounded by `maxPendingTransactions`. */
  private pending = 0;
  private seq = 0;
  /**
   * Proposal IDs must never repeat, across restarts too: a restarted leader re-applies entries of
   * its previous life, and one with a reused ID would answer a new caller with an old result.
   */
  private readonly nonce: string;
  private lastTime = 0;
  private closed = false;

  constructor(private readonly o: RaftProposerOptions) {
    this.nonce = Math.floor(o.rng.next() * 2 ** 52).toString(36);
    o.host.on({ applied: (id, results) => this.applied(id, results) });
  }

  propose(actions: StoreAction[]): Promise<TransactionResult> {
    if (this.closed) return Promise.reject(unavailable('the manager is shutting down'));
    if (actions.length === 0) return Promise.resolve({ ok: true });
    if (!this.o.host.isLeader()) return Promise.reject(this.notLeader());
    if (this.o.diskFull?.()) return Promise.reject(diskFullError());
    const max = this.o.maxPendingTransactions ?? 10_000;
    if (this.pending >= max) return Promise.reject(resourceExhausted(`too many proposals in flight (${this.pending}, max ${max}): the manager is overloaded; retry`));
    this.pending++;
    return new Promise<TransactionResult>((resolve, reject) => {
      this.queue.push({
        actions,
        resolve: (result) => {
          this.pending--;
          resolve(result);
        },
        reject: (error) => {
          this.pending--;
          reject(error);
        },
      });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      this.o.defer(() => this.flush());
    });
  }

  /** Fails every write not yet applied: called when leadership is lost. */
  leadershipLost(): void {
    const error = this.notLeader();
    for (const w of this.queue.splice(0)) w.reject(error);
    for (const [id, slot] of this.inFlight) this.settle(id, slot).forEach((w) => w.reject(error));
  }

  /**
   * The disk filled up: writes not yet proposed are refused; those proposed wait in the Raft log
   * for space (and may still be applied), so their callers are told both.
   */
  diskFilled(): void {
    const refused = diskFullError();
    for (const w of this.queue.splice(0)) w.reject(refused);
    const pending = diskFilledInFlightError();
    for (const [id, slot] of this.inFlight) this.settle(id, slot).forEach((w) => w.reject(pending));
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = unavailable('the manager is shutting down');
    for (const w of this.queue.splice(0)) w.reject(error);
    for (const [id, slot] of this.inFlight) this.settle(id, slot).forEach((w) => w.reject(error));
  }

  private flush(): void {
    this.flushScheduled = false;
    const perEntry = this.o.maxTransactionsPerEntry ?? 1000;
    if (this.o.diskFull?.()) return this.diskFilled();
    while (this.queue.length > 0) this.proposeBatch(this.queue.splice(0, perEntry));
  }

  private proposeBatch(waiting: Waiting[]): void {
    this.lastTime = Math.max(this.lastTime, this.o.clock.now());
    const id = `${this.o.host.raftId.toString(36)}.${this.nonce}.${++this.seq}`;
    const data = encodeProposal({ p: id, t: this.lastTime, x: waiting.map((w) => w.actions) });
    if (!this.o.host.isLeader() || !this.o.host.propose(data)) {
      const error = this.notLeader();
      waiting.forEach((w) => w.reject(error));
      return;
    }
    const cancelTimer = this.o.schedule(this.o.timeoutMs ?? 5_000, () => this.timedOut(id));
    this.inFlight.set(id, { waiting, cancelTimer });
  }

  private applied(id: string, results: TransactionResult[]): void {
    const slot = this.inFlight.get(id);
    if (!slot) return; // another manager's entry, or one we gave up on
    this.o.trace?.('proposal acknowledged', { proposal: id, writes: slot.waiting.length });
    this.settle(id, slot).forEach((w, i) => w.resolve(results[i] ?? { ok: false, error: 'no result for the transaction' }));
  }

  private timedOut(id: string): void {
    const slot = this.inFlight.get(id);
    if (!slot) return;
    const error = noQuorumError(this.o.reachability());
    this.settle(id, slot).forEach((w) => w.reject(error));
  }

  private settle(id: string, slot: InFlight): Waiting[] {
    this.inFlight.delete(id);
    slot.cancelTimer();
    return slot.waiting;
  }

  private notLeader(): ShoalError {
    const r = this.o.reachability();
    if (r.reachable < quorumOf(r.total)) return noQuorumError(r);
    return unavailable('this manager lost the leadership before the write was applied (it may or may not have been); retry');
  }
}
