import type { LogStorage, StorageOp } from './log-storage.js';

/** LogStorage in a Map: for tests and simulations. `data` is exposed so tests can tamper with it. */
export class MemoryLogStorage implements LogStorage {
  readonly data = new Map<string, string>();
  writes = 0;

  async load(): Promise<Array<[string, string]>> {
    return [...this.data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async write(ops: StorageOp[]): Promise<void> {
    this.writes++;
    for (const op of ops) {
      if (op.type === 'put') this.data.set(op.key, op.value);
      else this.data.delete(op.key);
    }
  }

  async close(): Promise<void> {}
}
