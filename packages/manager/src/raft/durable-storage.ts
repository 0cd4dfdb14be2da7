import { MemoryStorage, type ConfState, type Entry, type HardState, type Ready, type Snapshot } from '@shoal/raft';
import type { LogStorage, StorageOp } from '../disk/log-storage.js';
import type { RaftHostStorage } from './raft-host.js';
import { decodeDiskState, encodeHardState, encodeRaftId, RAFT_ID_KEY, encodeStoredEntry, encodeStoredSnapshot, entryKey, HARD_STATE_KEY, SNAPSHOT_KEY } from './disk-codec.js';

/**
 * Raft's stable storage for a manager (etcd's WAL + MemoryStorage): the core reads the log from
 * memory; every change is first written to LevelDB in one fsync'ed batch, and only then made
 * visible in memory (hence to the core, hence to any message that depends on it). The disk is a
 * `LogStorage`: LevelDB in production, `SimDisk` in the deterministic simulation (test/sim).
 */
export class DurableRaftStorage implements RaftHostStorage {
  private constructor(
    private readonly disk: LogStorage,
    private mem: MemoryStorage,
    private id: number | undefined,
    /** Entry keys on disk may start below the log in memory (a kept tail, dropped on reload). */
    private diskFirst: number,
  ) {}

  /** This manager's Raft ID, once it has bootstrapped or joined. */
  get raftId(): number | undefined {
    return this.id;
  }

  async setRaftId(raftId: number): Promise<void> {
    await this.disk.write([{ type: 'put', key: RAFT_ID_KEY, value: encodeRaftId(raftId) }]);
    this.id = raftId;
  }

  /** Loads and verifies what is on disk (a corrupt or torn log throws a CorruptLogError). */
  static async open(disk: LogStorage): Promise<DurableRaftStorage> {
    const state = decodeDiskState(await disk.load());
    const mem = new MemoryStorage();
    if (state.snapshot) mem.applySnapshot(state.snapshot);
    mem.append(state.entries);
    mem.setHardState(state.hardState);
    return new DurableRaftStorage(disk, mem, state.raftId, Math.min(state.lowestStored ?? Infinity, mem.firstIndex()));
  }

  /** True when nothing was ever stored: the manager must bootstrap or join. */
  isEmpty(): boolean {
    const hs = this.mem.initialState();
    return this.id === undefined && hs.term === 0 && this.mem.lastIndex() === 0 && this.mem.snapshot().index === 0;
  }

  initialState(): HardState {
    return this.mem.initialState();
  }
  firstIndex(): number {
    return this.mem.firstIndex();
  }
  lastIndex(): number {
    return this.mem.lastIndex();
  }
  term(index: number): number | undefined {
    return this.mem.term(index);
  }
  entries(lo: number, hi: number): Entry[] {
    return this.mem.entries(lo, hi);
  }
  snapshot(): Snapshot {
    return this.mem.snapshot();
  }

  /** Persists a Ready's snapshot, hard state and entries (one synced batch), then shows them to the core. */
  async persist(rd: Pick<Ready, 'snapshot' | 'hardState' | 'entries'>): Promise<void> {
    const ops: StorageOp[] = [];
    if (rd.snapshot) ops.push(...this.snapshotOps(rd.snapshot, rd.snapshot.index));
    if (rd.hardState) ops.push({ type: 'put', key: HARD_STATE_KEY, value: encodeHardState(rd.hardState) });
    ops.push(...this.appendOps(rd.entries, rd.snapshot));
    if (ops.length === 0) return;
    // A Ready that only moves the commit index needs no fsync: a commit index lost in a crash is
    // learned again from the leader, and the entries it covers are already durable.
    const commitOnly = !rd.snapshot && rd.entries.length === 0 && rd.hardState !== undefined && this.sameTermAndVote(rd.hardState);
    await this.disk.write(ops, { durable: !commitOnly });
    if (rd.snapshot) this.diskFirst = Math.max(this.diskFirst, rd.snapshot.index + 1);
    if (rd.snapshot) this.mem.applySnapshot(rd.snapshot);
    if (rd.hardState) this.mem.setHardState(rd.hardState);
    if (rd.entries.length > 0) this.mem.append(rd.entries);
  }

  private sameTermAndVote(hs: HardState): boolean {
    const cur = this.mem.initialState();
    return hs.term === cur.term && hs.vote === cur.vote;
  }

  /**
   * Records a snapshot of the applied state at `index` and drops the entries before
   * `index - keepTail` (a tail stays for slow followers), durably. The tail also holds at most
   * `keepTailBytes` of entry data: 500 entries of 2,000 task writes each would be gigabytes.
   */
  async saveSnapshot(index: number, conf: ConfState, data: string, keepTail: number, keepTailBytes = Infinity): Promise<void> {
    const term = this.mem.term(index);
    if (term === undefined) throw new Error(`assertion failed: no entry at snapshot index ${index}`);
    const snap: Snapshot = { index, term, voters: [...conf.voters], learners: [...conf.learners], data };
    const compactTo = Math.max(0, index - keepTail, this.firstOfTailWithin(index, keepTailBytes) - 1);
    await this.disk.write(this.snapshotOps(snap, compactTo));
    this.diskFirst = Math.max(this.diskFirst, compactTo + 1);
    this.mem.createSnapshot(index, conf, data);
    if (compactTo >= this.mem.firstIndex()) this.mem.compact(compactTo);
  }

  /** The lowest index from which the entries up to `index` hold at most `bytes` of data. */
  private firstOfTailWithin(index: number, bytes: number): number {
    if (bytes === Infinity) return 0;
    let total = 0;
    let first = index + 1;
    for (let i = index; i >= this.mem.firstIndex(); i--) {
      total += this.mem.entries(i, i + 1)[0]!.data.length;
      if (total > bytes) break;
      first = i;
    }
    return first;
  }

  /** Writes the first state of a new cluster: a snapshot at index 1 naming the first voter. */
  async bootstrap(snapshot: Snapshot): Promise<void> {
    const hs: HardState = { term: snapshot.term, vote: 0, commit: snapshot.index };
    await this.disk.write([
      { type: 'put', key: SNAPSHOT_KEY, value: encodeStoredSnapshot(snapshot) },
      { type: 'put', key: HARD_STATE_KEY, value: encodeHardState(hs) },
    ]);
    this.mem.applySnapshot(snapshot);
    this.mem.setHardState(hs);
  }

  /**
   * Replaces the whole log with `snapshot` and `hardState` (`--force-new-cluster`); only before a
   * Raft node is built over this storage.
   */
  async replaceWith(snapshot: Snapshot, hardState: HardState): Promise<void> {
    const ops: StorageOp[] = [];
    for (let i = Math.min(this.diskFirst, this.mem.firstIndex()); i <= this.mem.lastIndex(); i++) ops.push({ type: 'del', key: entryKey(i) });
    ops.push({ type: 'put', key: SNAPSHOT_KEY, value: encodeStoredSnapshot(snapshot) });
    ops.push({ type: 'put', key: HARD_STATE_KEY, value: encodeHardState(hardState) });
    await this.disk.write(ops);
    this.mem = new MemoryStorage();
    this.diskFirst = snapshot.index + 1;
    this.mem.applySnapshot(snapshot);
    this.mem.setHardState(hardState);
  }

  close(): Promise<void> {
    return this.disk.close();
  }

  /** Puts the snapshot and deletes the stored entries up to `dropTo`. */
  private snapshotOps(snap: Snapshot, dropTo: number): StorageOp[] {
    const ops: StorageOp[] = [{ type: 'put', key: SNAPSHOT_KEY, value: encodeStoredSnapshot(snap) }];
    const from = Math.min(this.diskFirst, this.mem.firstIndex());
    const to = Math.min(dropTo, this.mem.lastIndex());
    for (let i = from; i <= to; i++) ops.push({ type: 'del', key: entryKey(i) });
    return ops;
  }

  /**
   * Deletes the stored entries that new entries replace (a truncated suffix) or that a received
   * snapshot supersedes, then puts the new entries: in a batch the later operation on a key wins.
   */
  private appendOps(entries: readonly Entry[], snap: Snapshot | undefined): StorageOp[] {
    const base = snap?.index ?? 0;
    const kept = entries.filter((e) => e.index > base);
    const firstReplaced = snap ? Math.max(this.mem.firstIndex(), snap.index + 1) : (kept[0]?.index ?? Infinity);
    const ops: StorageOp[] = [];
    for (let i = firstReplaced; i <= this.mem.lastIndex(); i++) ops.push({ type: 'del', key: entryKey(i) });
    for (const e of kept) ops.push({ type: 'put', key: entryKey(e.index), value: encodeStoredEntry(e) });
    return ops;
  }
}
