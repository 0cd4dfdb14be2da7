/**
 * A node's simulated disk under the production `DurableRaftStorage`: a key-value store with the
 * `LogStorage` contract of the LevelDB one. A write completes after a simulated latency, in
 * submission order; a durable write (fsync) makes it and every earlier completed write survive a
 * crash; a non-durable one only reaches the page cache. A crash loses the writes still in flight
 * and the completed ones not yet synced. Each incarnation of the node gets its own handle: the
 * handle of a crashed incarnation never completes another write.
 */
import type { LogStorage, StorageOp } from '../../packages/manager/src/disk/log-storage.js';
import type { Incarnation } from './incarnation.js';
import { randInt } from './rng.js';
import type { World } from './world.js';

interface InFlight {
  ops: StorageOp[];
  durable: boolean;
  resolve: () => void;
}

export class SimDisk {
  private readonly synced = new Map<string, string>();
  /** Completed but not yet synced writes (lost in a crash). */
  private cached: StorageOp[][] = [];
  private inFlight: InFlight[] = [];
  private lastCompletionAt = 0;
  private lastFlushAt = 0;
  private owner: Incarnation | undefined;
  fsyncs = 0;

  constructor(
    private readonly sim: World,
    private readonly nodeId: number,
  ) {}

  /** The `LogStorage` an incarnation's `DurableRaftStorage` opens. */
  handle(inc: Incarnation): LogStorage {
    this.owner = inc;
    return {
      load: () => Promise.resolve(inc.alive ? this.load() : []),
      write: (ops, options) => (inc.alive ? this.submit(inc, ops, options?.durable ?? true) : new Promise<void>(() => {})),
      close: () => Promise.resolve(),
    };
  }

  /** A crash: in-flight and unsynced writes are gone. Returns how many were lost. */
  crash(): number {
    const lost = this.inFlight.length + this.cached.length;
    this.inFlight = [];
    this.cached = [];
    this.owner = undefined;
    return lost;
  }

  /** Handles a `disk` event: the oldest write in flight completes. */
  complete(): void {
    const w = this.inFlight.shift();
    if (w === undefined || this.owner === undefined) return;
    this.cached.push(w.ops);
    // The deliberately broken disk acknowledges fsyncs but writes back only every 100 ms.
    const lies = this.sim.bug === 'fsync-lies';
    if ((w.durable && !lies) || (lies && this.sim.now - this.lastFlushAt >= 100)) this.flush();
    if (w.durable && this.owner.crashAt === 'fsync') this.owner.crash('after fsync');
    else w.resolve();
  }

  private submit(inc: Incarnation, ops: StorageOp[], durable: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      this.inFlight.push({ ops, durable, resolve });
      const at = Math.max(this.sim.now + (durable ? randInt(this.sim.diskRng, 1, 3) : 0), this.lastCompletionAt);
      this.lastCompletionAt = at;
      this.sim.at(at - this.sim.now, { k: 'disk', node: this.nodeId, incarnation: inc.number });
      if (durable && inc.crashAt === 'write') inc.crash('while writing');
    });
  }

  private flush(): void {
    for (const ops of this.cached) {
      for (const op of ops) {
        if (op.type === 'put') this.synced.set(op.key, op.value);
        else this.synced.delete(op.key);
      }
    }
    this.cached = [];
    this.lastFlushAt = this.sim.now;
    this.fsyncs++;
  }

  private load(): Array<[string, string]> {
    return [...this.synced.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
