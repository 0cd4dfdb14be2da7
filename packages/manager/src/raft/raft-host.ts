import { assert } from '@shoal/common';
import { decodeConfChange, RaftNode, type ConfChange, type Entry, type HardState, type Message, type NodeId, type Ready, type Status } from '@shoal/raft';
import { decodeMemberContext, type Member } from './members.js';
import { ReadWaiters } from './read-waiters.js';
import { countStoredBefore, sendsBeforePersist } from './ready-order.js';
import { SnapshotEncoder } from './snapshot-encoder.js';
import { StateWaiters } from './state-waiters.js';
import { decodeProposal, decodeSnapshotData, namesIn } from './state-machine-data.js';
import { DEFAULT_RAFT_TIMING, type HostEvents, type RaftHostOptions, type RaftTiming } from './raft-host-options.js';

export { DEFAULT_RAFT_TIMING, type HostEvents, type RaftHostOptions, type RaftHostStorage, type RaftTiming, type RaftTransport } from './raft-host-options.js';

/**
 * The driver of this manager's Raft node (DESIGN §4): ticks it, steps messages into it, and for
 * each Ready, in order, persists (one fsync'ed batch), sends, restores a received snapshot,
 * applies committed entries to the store, and advances. One Ready is handled at a time. While its
 * batch syncs, the messages that do not depend on it are sent (a leader's entries go to the
 * followers as it writes them, thesis §10.2.1) and committed entries that were already on disk are
 * applied.
 */
export class RaftHost {
  readonly raftId: NodeId;
  private readonly node: RaftNode;
  private readonly timing: RaftTiming;
  private readonly reads: ReadWaiters;
  private readonly waiters = new StateWaiters();
  private members = new Map<NodeId, Member>();
  private events: HostEvents = {};
  /** The Ready loop under way (resolved when idle). */
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private again = false;
  private stopped = false;
  private cancelTick: () => void = () => {};
  private leaderFrom: number | undefined;
  private leaderAnnounced = false;
  private snapshotIndex: number;
  /** Bytes of entry data applied since the last snapshot (see snapshotIntervalBytes). */
  private bytesSinceSnapshot = 0;
  /**
   * The last index this host applied to the store. Not the core's `applied`: a snapshot received
   * from the leader moves that at once, before the host has restored the store from it.
   */
  private appliedIndex: number;
  /** The hard state on disk (the last one persisted). */
  private persistedHard: HardState;
  /** Encodes snapshots in slices; `pause` lets other events (heartbeats, applies) run between them. */
  private readonly snapshots = new SnapshotEncoder({ pause: () => new Promise<void>((r) => void this.o.schedule(0, r)), stopped: () => this.stopped, done: () => this.kick(), failed: (e) => this.fail(e) });

  constructor(private readonly o: RaftHostOptions) {
    this.raftId = o.raftId;
    this.timing = o.timing ?? DEFAULT_RAFT_TIMING;
    const snap = o.storage.snapshot();
    if (snap.index > 0) this.restoreMachine(snap.data);
    this.snapshotIndex = snap.index;
    this.appliedIndex = snap.index;
    this.persistedHard = o.storage.initialState();
    this.node = new RaftNode({
      id: o.raftId,
      peers: snap.voters,
      learners: snap.learners,
      storage: o.storage,
      rng: o.rng,
      electionTicks: this.timing.electionTicks,
      heartbeatTicks: this.timing.heartbeatTicks,
    });
    this.reads = new ReadWaiters(() => this.appliedIndex, o.maxPendingReads);
  }

  on(events: HostEvents): void {
    this.events = { ...this.events, ...events };
  }

  /**
   * Starts the node. Ticks begin only once the first Ready is handled: a restarted node learns its
   * current configuration by re-applying the committed conf changes after its snapshot, and must
   * not count votes (or campaign) under the snapshot's older configuration before that.
   */
  start(): void {
    if (this.members.size > 0) this.o.transport.setMembers([...this.members.values()]);
    const tick = () => {
      this.node.tick();
      this.kick();
      this.cancelTick = this.o.schedule(this.timing.tickMs, tick);
    };
    this.kick();
    void this.running.then(() => {
      if (!this.stopped) this.cancelTick = this.o.schedule(this.timing.tickMs, tick);
    });
  }

  /** Starts an election now: a new single-manager group need not wait for a timeout. */
  campaign(): void {
    this.node.campaign();
    this.kick();
  }

  /** Stops ticking and processing; waits for the Ready being handled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTick();
    this.reads.failAll(new Error('the manager is shutting down'));
    this.waiters.endAll();
    await this.running;
  }

  step(m: Message): void {
    if (this.stopped || m.to !== this.raftId) return;
    this.node.step(m);
    this.kick();
  }

  /** Appends data if this node leads (true) or forwards it; false when dropped. */
  propose(data: string): boolean {
    const ok = this.node.propose(data);
    this.kick();
    return ok;
  }

  proposeConfChange(cc: ConfChange): boolean {
    const ok = this.node.proposeConfChange(cc);
    this.kick();
    return ok;
  }

  transferLeadership(to: NodeId): boolean {
    const ok = this.node.transferLeadership(to);
    this.kick();
    return ok;
  }

  reportUnreachable(id: NodeId): void {
    this.node.reportUnreachable(id);
    this.kick();
  }

  /**
   * The transport found nothing listening at `id`'s address. If it is the leader this follower
   * knows, the leader is dead: forget it, so the survivors elect another without waiting out its
   * lease and a whole election timeout (see RaftNode.forgetLeader).
   */
  peerGone(id: NodeId): void {
    if (id === this.raftId || this.node.status().lead !== id) return;
    this.node.forgetLeader();
    this.kick();
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    this.node.reportSnapshot(id, ok);
    this.kick();
  }

  /** Resolves once every write committed before the call is applied here (ReadIndex). */
  readBarrier(timeoutMs: number): Promise<void> {
    const ctx = this.reads.add(timeoutMs, this.o.schedule);
    if (!this.node.readIndex(ctx.id)) ctx.fail(new Error('no leader to confirm the read'));
    this.kick();
    return ctx.promise;
  }

  /**
   * Resolves true once `holds()` is true, re-checked after every Ready this host handles (an
   * event, not a polling period); false after `timeoutMs` or when the host stops.
   */
  until(holds: () => boolean, timeoutMs: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(holds());
    return this.waiters.until(holds, timeoutMs, this.o.schedule);
  }

  status(): Status {
    return this.node.status();
  }

  /** Leads, and has applied an entry of its own term (so its store is up to date). */
  isLeader(): boolean {
    return this.leaderAnnounced;
  }

  memberList(): Member[] {
    return [...this.members.values()];
  }

  member(raftId: NodeId): Member | undefined {
    return this.members.get(raftId);
  }

  lastHeard(raftId: NodeId): number | undefined {
    return raftId === this.raftId ? this.o.clock.now() : this.o.transport.lastHeard(raftId);
  }

  // ---- the Ready loop ----------------------------------------------------------------------

  private kick(): void {
    if (this.stopped) return;
    if (this.busy) {
      // A Ready is being handled (an fsync, a long apply): heartbeats and what else needs nothing
      // persisted leave now rather than with the next Ready, so followers do not time out.
      const early = this.node.takeUnblockedMessages();
      if (early.length > 0) this.o.transport.send(early);
      this.again = true;
      return;
    }
    this.busy = true;
    this.running = this.run().catch((error: unknown) => this.fail(error));
  }

  private fail(error: unknown): void {
    this.stopped = true;
    this.cancelTick();
    this.o.onFatal(error);
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        while (!this.stopped && this.node.hasReady()) await this.handle(this.node.ready());
        if (!this.stopped) await this.saveEncodedSnapshot();
      } while (this.again && !this.stopped);
    } finally {
      this.busy = false;
    }
  }

  private async handle(rd: Ready): Promise<void> {
    const persisting = this.o.storage.persist(rd);
    persisting.catch(() => {}); // awaited below; an apply that throws first must not leave it unhandled
    // What does not depend on this Ready's write goes out while the disk syncs: a leader's entries
    // (it counts them only once written, see the core's stableAppended), heartbeats. Answers that
    // acknowledge entries or a vote wait for the write, and so does all of a Ready that changes
    // the term or the vote, or holds a snapshot.
    const early = rd.snapshot || this.changesTermOrVote(rd) ? [] : rd.messages.filter(sendsBeforePersist);
    this.o.transport.send(early);
    // While the disk syncs this Ready's new entries, apply the committed entries that were already
    // on this manager's disk before it: committed on a quorum and durable here, their writers
    // need not wait one more fsync. Entries of this Ready (a lone leader commits them once written)
    // wait, and so does a membership change and all after it.
    const applied = rd.snapshot ? 0 : countStoredBefore(rd.committedEntries, rd.entries[0]?.index);
    this.applyEntries(rd.committedEntries, 0, applied);
    await persisting;
    if (rd.snapshot) {
      // Before sending: the snapshot names the members the answers go to.
      this.restoreMachine(rd.snapshot.data);
      this.snapshotIndex = rd.snapshot.index;
      this.bytesSinceSnapshot = 0;
      this.appliedIndex = rd.snapshot.index;
    }
    if (rd.hardState) this.persistedHard = rd.hardState;
    this.o.transport.send(early.length === 0 ? rd.messages : rd.messages.filter((m) => !sendsBeforePersist(m)));
    this.applyEntries(rd.committedEntries, applied, rd.committedEntries.length);
    this.node.advance(rd);
    if (rd.softState) this.leadershipMayHaveChanged();
    this.maybeAnnounceLeader();
    this.reads.confirmed(rd.readStates);
    this.reads.appliedAdvanced();
    this.events.changed?.();
    this.waiters.changed();
    this.maybeSnapshot();
  }

  private changesTermOrVote(rd: Ready): boolean {
    const hs = rd.hardState;
    return hs !== undefined && (hs.term !== this.persistedHard.term || hs.vote !== this.persistedHard.vote);
  }

  private applyEntries(entries: readonly Entry[], from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const entry = entries[i]!;
      // Paired with the core handing out entries from its applied index: none skipped or repeated.
      assert(entry.index === this.appliedIndex + 1, `raft host: entry ${entry.index} applied after ${this.appliedIndex}`);
      this.apply(entry);
      this.appliedIndex = entry.index;
      this.bytesSinceSnapshot += entry.data.length;
    }
  }

  private apply(entry: Entry): void {
    if (entry.type === 'conf') return this.applyConf(entry);
    if (typeof entry.data !== 'string' || entry.data === '') return; // a new leader's empty entry
    const proposal = decodeProposal(entry.data);
    const results = this.o.machine.applyEntry({ index: entry.index, time: proposal.t, transactions: proposal.x });
    this.o.trace?.('applied', { index: entry.index, term: entry.term, proposal: proposal.p, names: namesIn(proposal.x), ok: results.map((r) => r.ok) });
    this.events.applied?.(proposal.p, results);
  }

  private applyConf(entry: Entry): void {
    const cc = decodeConfChange(entry.data);
    this.node.applyConfChange(cc);
    if (cc.type === 'remove') this.members.delete(cc.node);
    else if (cc.context !== '') this.members.set(cc.node, decodeMemberContext(cc.node, cc.context));
    this.o.transport.setMembers([...this.members.values()]);
    this.o.log('raft membership changed', { change: cc.type, raftId: cc.node, voters: this.node.status().voters });
    this.events.confApplied?.(cc);
  }

  private restoreMachine(data: string | Uint8Array): void {
    const d = decodeSnapshotData(data);
    this.o.machine.restore(d.store);
    this.members = new Map(d.members.map((m) => [m.raftId, m]));
    this.o.transport.setMembers(d.members);
  }

  private leadershipMayHaveChanged(): void {
    const s = this.node.status();
    if (s.state === 'leader') {
      this.leaderFrom ??= s.lastIndex;
      return;
    }
    this.leaderFrom = undefined;
    if (this.leaderAnnounced) {
      this.leaderAnnounced = false;
      this.events.leadership?.(false);
    }
  }

  private maybeAnnounceLeader(): void {
    if (this.leaderAnnounced || this.leaderFrom === undefined) return;
    if (this.appliedIndex < this.leaderFrom) return;
    this.leaderAnnounced = true;
    this.o.log('this manager is the raft leader', { term: this.node.status().term });
    this.events.leadership?.(true);
  }

  /** Starts encoding a snapshot of the state now if one is due (the Ready loop writes it when done). */
  private maybeSnapshot(): void {
    const index = this.appliedIndex;
    const due = index - this.snapshotIndex >= (this.o.snapshotInterval ?? 10_000) || this.bytesSinceSnapshot >= (this.o.snapshotIntervalBytes ?? DEFAULT_SNAPSHOT_BYTES);
    if (!due || index === this.snapshotIndex || this.snapshots.busy) return;
    const s = this.node.status();
    const conf = { voters: [...s.voters], learners: [...s.learners] };
    this.snapshots.start(this.o.machine.snapshotSlices(SNAPSHOT_SLICE_CHARS), { index, conf, bytes: this.bytesSinceSnapshot }, [...this.members.values()]);
  }

  private async saveEncodedSnapshot(): Promise<void> {
    const snap = this.snapshots.take();
    // A snapshot received from the leader meanwhile may have gone past it.
    if (snap === undefined || snap.index <= this.snapshotIndex) return;
    await this.o.storage.saveSnapshot(snap.index, snap.conf, snap.data, this.o.keepTail ?? 500, this.o.keepTailBytes ?? DEFAULT_TAIL_BYTES);
    this.snapshotIndex = snap.index;
    this.bytesSinceSnapshot = Math.max(0, this.bytesSinceSnapshot - snap.bytes);
  }
}

/** Entry data applied between two snapshots at most, and kept after one: the log in memory is bounded in bytes. */
const DEFAULT_SNAPSHOT_BYTES = 64 * 2 ** 20;
const DEFAULT_TAIL_BYTES = 16 * 2 ** 20;
const SNAPSHOT_SLICE_CHARS = 2 ** 20; // of a snapshot's JSON encoded between two pauses: a few milliseconds
