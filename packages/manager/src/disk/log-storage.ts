/** One write to the log's key-value storage. */
export type StorageOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

/**
 * The durable key-value storage under the Raft log: LevelDB in production (io/), a map in tests.
 * Keys and values are strings; `load` returns every pair in key order.
 */
export interface LogStorage {
  load(): Promise<Array<[key: string, value: string]>>;
  /**
   * Writes all ops atomically and durably (fsync) before resolving. With `durable: false` the
   * write skips the fsync (it still lands after every earlier write): only for data whose loss in
   * a crash is harmless.
   */
  write(ops: StorageOp[], options?: { durable?: boolean }): Promise<void>;
  close(): Promise<void>;
}
