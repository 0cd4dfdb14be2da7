import { ClassicLevel } from 'classic-level';
import type { LogStorage, StorageOp } from '../log-storage.js';

/** LogStorage in a LevelDB directory (the Raft log of a manager), every write fsync'ed unless told otherwise. */
export class LevelLogStorage implements LogStorage {
  private constructor(private readonly db: ClassicLevel<string, string>) {}

  static async open(path: string): Promise<LevelLogStorage> {
    const db = new ClassicLevel<string, string>(path, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    return new LevelLogStorage(db);
  }

  async load(): Promise<Array<[string, string]>> {
    return this.db.iterator().all();
  }

  async write(ops: StorageOp[], options: { durable?: boolean } = {}): Promise<void> {
    await this.db.batch(ops, { sync: options.durable ?? true });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
