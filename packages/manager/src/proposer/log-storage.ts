/** One write to the log's key-value storage. */
export type StorageOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

/**
 * The durable key-value storage under the local log: LevelDB in production (io/), a map in tests.
 * Keys and values are strings; `load` returns every pair in key order.
 */
export interface LogStorage {
  load(): Promise<Array<[key: string, value: string]>>;
  /** Writes all ops atomically and durably (fsync) before resolving. */
  write(ops: StorageOp[]): Promise<void>;
  close(): Promise<void>;
}
