import { unavailable } from '@shoal/common';
import type { LogStorage, StorageOp } from '../disk/log-storage.js';
import { DISK_FULL_MESSAGE, isDiskFull } from './disk-full.js';

export interface RetryingLogOptions {
  /** Opens the storage underneath (LevelDB in production); called again after a disk-full error. */
  open: () => Promise<LogStorage>;
  schedule: (delayMs: number, fn: () => void) => () => void;
  /** Wait between attempts while the disk is full (default 2 s). */
  retryMs?: number;
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export const DEFAULT_DISK_RETRY_MS = 2_000;

/**
 * The Raft log's storage on a disk that may fill up. A write (or the opening) that fails for lack
 * of space is retried until it succeeds, so the caller's promise resolves only once its write is
 * durable: the Raft host, which awaits it before sending or applying anything, pauses instead of
 * crashing, and the order persist-before-send holds. Other errors are thrown as they are.
 *
 * After a failed write LevelDB is closed and opened again before the next attempt: its log file
 * may end in a torn record, and a later record written after it would be dropped on recovery.
 */
export class RetryingLogStorage implements LogStorage {
  private inner: LogStorage | undefined;
  private full = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** Writes run one at a time, in the order they were asked for. */
  private tail: Promise<unknown> = Promise.resolve();
  private listeners: Array<(full: boolean) => void> = [];

  private constructor(private readonly o: RetryingLogOptions) {}

  /** Opens the storage, waiting (with one log line) while the disk is too full to open it. */
  static async open(o: RetryingLogOptions): Promise<RetryingLogStorage> {
    const s = new RetryingLogStorage(o);
    await s.attempt(async () => {
      s.inner ??= await o.open();
    }, 'cannot open the raft log');
    return s;
  }

  /** True from a write refused for lack of space until a write succeeds again. */
  get diskFull(): boolean {
    return this.full;
  }

  /** Hears when the disk fills (true) and when writes succeed again (false). */
  onDiskFull(listener: (full: boolean) => void): void {
    this.listeners.push(listener);
  }

  load(): Promise<Array<[string, string]>> {
    if (!this.inner) throw new Error('assertion failed: raft log loaded before it was opened');
    return this.inner.load();
  }

  write(ops: StorageOp[], options?: { durable?: boolean }): Promise<void> {
    const run = () =>
      this.attempt(async () => {
        this.inner ??= await this.o.open();
        await this.inner.write(ops, options);
      }, 'cannot write the raft log');
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Ends the waiting: a write still waiting for space fails (the manager is stopping). */
  stopRetrying(): void {
    this.stopped = true;
    this.wake?.();
  }

  async close(): Promise<void> {
    this.stopRetrying();
    await this.tail;
    await this.inner?.close();
    this.inner = undefined;
  }

  private async attempt(fn: () => Promise<void>, what: string): Promise<void> {
    for (;;) {
      if (this.stopped) throw unavailable('the manager is shutting down');
      try {
        await fn();
        this.setFull(false);
        return;
      } catch (e) {
        if (!isDiskFull(e)) throw e;
        if (!this.full) this.o.log(`${what}: ${DISK_FULL_MESSAGE}; trying again every ${this.retryMs() / 1000} s until space is freed (writes are refused meanwhile)`, { error: String(e) });
        this.setFull(true);
        await this.dropInner();
        await this.pause();
      }
    }
  }

  private setFull(full: boolean): void {
    if (full === this.full) return;
    this.full = full;
    if (!full) this.o.log('space on the manager\'s disk is back: raft writes resume');
    for (const l of this.listeners) l(full);
  }

  private async dropInner(): Promise<void> {
    const inner = this.inner;
    this.inner = undefined;
    await inner?.close().catch(() => undefined);
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.o.schedule(this.retryMs(), () => {
        this.wake = undefined;
        resolve();
      });
      this.wake = () => {
        cancel();
        this.wake = undefined;
        resolve();
      };
    });
  }

  private retryMs(): number {
    return this.o.retryMs ?? DEFAULT_DISK_RETRY_MS;
  }
}
