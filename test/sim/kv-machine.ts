/**
 * The kv as the production host's `StateMachine`: the host applies committed proposals to it and
 * restores it from snapshots; each apply and restore is checked against the other nodes' states.
 * A crash armed for the `apply` stage strikes right after an apply or a restore.
 */
import type { LogEntry, StateMachine, StoreSnapshot, TransactionResult } from '../../packages/manager/src/store/types.js';
import type { SimNode } from './driver.js';
import type { Incarnation } from './incarnation.js';
import { commandKey, Kv, type Command, type KvSnapshot } from './kv.js';
import type { World } from './world.js';

export class KvMachine implements StateMachine {
  /** Set once the host is built: a restore after that is a snapshot received from a leader. */
  running = false;

  constructor(
    private readonly sim: World,
    private readonly n: SimNode,
    private readonly inc: Incarnation,
  ) {}

  get lastIndex(): number {
    return this.n.kv.applied;
  }

  applyEntry(entry: LogEntry): TransactionResult[] {
    if (!this.inc.alive) return [];
    const cmd = entry.transactions[0]?.[0] as unknown as Command | undefined;
    if (entry.transactions.length !== 1 || cmd === undefined) this.sim.fail(`node ${this.n.id} applied a malformed proposal at ${entry.index}`);
    this.n.kv.apply(entry.index, cmd);
    this.sim.checks.checkKvAt(this.n, entry.index);
    this.sim.checks.noteApplied(commandKey(cmd), entry.index);
    if (this.inc.crashAt === 'apply') this.inc.crash('after apply');
    return [{ ok: true }];
  }

  /** The host snapshots its store (every `snapshotEvery` applied entries). */
  snapshot(): StoreSnapshot {
    if (this.inc.alive) {
      this.sim.stats.snapshotsTaken++;
      this.sim.trace(`node ${this.n.id} snapshot (kv ${this.n.kv.applied})`);
    }
    return this.n.kv.snapshot() as unknown as StoreSnapshot;
  }

  /** The kv is small: one slice, taken now (a later apply must not show in it). */
  snapshotSlices(): Iterable<string> {
    return [JSON.stringify(this.snapshot())];
  }

  restore(snapshot: StoreSnapshot): void {
    if (!this.inc.alive) return;
    const s = snapshot as unknown as KvSnapshot;
    if (this.running && s.applied < this.n.kv.applied) this.sim.fail(`node ${this.n.id} got a snapshot of kv state ${s.applied} below its own ${this.n.kv.applied}`);
    this.n.kv = Kv.restore(s);
    if (this.running) {
      this.sim.stats.snapshotsRestored++;
      this.sim.trace(`node ${this.n.id} restored snapshot (kv ${s.applied})`);
    }
    this.sim.checks.checkKvAt(this.n, s.applied);
    if (this.running && this.inc.crashAt === 'apply') this.inc.crash('after restoring a snapshot');
  }
}
