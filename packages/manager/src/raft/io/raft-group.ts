import type { RaftJoinReply__Output } from '@shoal/common/rpc';
import { ERROR_CODES, failedPrecondition, isShoalError, unavailable } from '@shoal/common';
import type { ConfChange, Message, NodeId } from '@shoal/raft';
import { LevelLogStorage } from '../../disk/io/level-log-storage.js';
import type { MemoryStore } from '../../store/memory-store.js';
import { DurableRaftStorage } from '../durable-storage.js';
import { encodeMemberContext, type Member } from '../members.js';
import { isReachable, noQuorumError, quorumOf, reachableVoters, removalBreaksQuorum, staleReadWarning, type Reachability } from '../quorum.js';
import { RaftHost } from '../raft-host.js';
import { RaftProposer } from '../raft-proposer.js';
import { encodeSnapshotData } from '../state-machine-data.js';
import { GrpcTransport } from './grpc-transport.js';
import { askLeader } from './ask-leader.js';
import { recoverForNewCluster } from '../force-new-cluster.js';
import { raftLimits, type RaftLimits } from '../limits.js';
import { RetryingLogStorage } from '../retrying-log-storage.js';
import { DISK_FULL_MESSAGE } from '../disk-full.js';
import { ConfChanges } from './conf-changes.js';
import type { RaftGroupOptions } from './raft-group-options.js';

export type { RaftGroupOptions, RaftGroupTuning } from './raft-group-options.js';

const schedule = (delayMs: number, fn: () => void): (() => void) => {
  const t = setTimeout(fn, Math.max(0, delayMs));
  return () => clearTimeout(t);
};
/** A manager heard from within this window counts as reachable. */
const REACHABLE_WINDOW_MS = 3_000;

/**
 * This manager's membership in the Raft group, composed for real: LevelDB storage, the gRPC
 * transport, the host's Ready loop and the store's proposer. Also the group-level operations:
 * bootstrap, join, admitting and removing members, leadership transfer on leave.
 */
export class RaftGroup {
  private host?: RaftHost;
  private proposer?: RaftProposer;
  private store?: MemoryStore;
  private readonly confChanges = new ConfChanges(() => this.host!, () => this.isLeader(), () => this.noQuorumMessage());
  private readonly transport: GrpcTransport;
  private startedAt = 0;
  readonly limits: RaftLimits;
  /** The group as the Join reply described it: what this manager knows of it before its first snapshot. */
  private joinedMembers: Member[] = [];
  private closing = false;

  private constructor(
    private readonly storage: DurableRaftStorage,
    private readonly disk: RetryingLogStorage,
    private readonly o: RaftGroupOptions,
  ) {
    this.limits = raftLimits(o.tuning.limits);
    disk.onDiskFull((full) => {
      if (full) this.proposer?.diskFilled();
    });
    this.transport = new GrpcTransport({
      selfId: storage.raftId ?? 0,
      clock: o.clock,
      credentials: o.credentials,
      onUnreachable: (id, refused) => {
        this.host?.reportUnreachable(id);
        if (refused) this.host?.peerGone(id);
      },
      onSnapshotSent: (id, ok) => this.host?.reportSnapshot(id, ok),
      log: o.log,
      limits: this.limits,
    });
  }

  static async open(o: RaftGroupOptions): Promise<RaftGroup> {
    // A full disk neither crashes the manager nor stops it from starting: writes wait for space.
    const openLog = o.openLog ?? ((path: string) => LevelLogStorage.open(path));
    const retryMs = o.tuning.diskRetryMs;
    const disk = await RetryingLogStorage.open({ open: () => openLog(o.path), schedule, log: o.log, ...(retryMs ? { retryMs } : {}) });
    try {
      const storage = await DurableRaftStorage.open(disk);
      if (o.tuning.forceNewCluster) await recoverForNewCluster(storage, o.self);
      return new RaftGroup(storage, disk, o);
    } catch (e) {
      await disk.close();
      throw e;
    }
  }

  get isNew(): boolean {
    return this.storage.isEmpty();
  }

  get raftId(): NodeId {
    return this.storage.raftId ?? 0;
  }

  /** The store the group replicates; its writes go through the group's proposer. */
  attach(store: MemoryStore): void {
    this.store = store;
  }

  async bootstrap(): Promise<void> {
    const raftId = this.newRaftId();
    await this.bootstrapGroup(raftId, [{ raftId, ...this.o.self }]);
  }

  /**
   * Starts a new group whose voters are `members` (this manager among them as `raftId`); every
   * member must be given the same list. `swarm init` uses one member; benchmarks use several.
   */
  async bootstrapGroup(raftId: NodeId, members: Member[]): Promise<void> {
    await this.storage.setRaftId(raftId);
    this.transport.setSelfId(raftId);
    const data = encodeSnapshotData({ store: this.store!.snapshot(), members });
    await this.storage.bootstrap({ index: 1, term: 1, voters: members.map((m) => m.raftId), learners: [], data });
    this.start();
    // Only here, at its birth, is a one-voter configuration known to be current.
    if (members.length === 1) this.host!.campaign();
  }

  /** Asks the managers (any of them; followers name the leader) to admit this one, then starts. */
  async join(managers: readonly string[]): Promise<void> {
    const reply = await askLeader<RaftJoinReply__Output>(managers, this.o.credentials, this.o.clock, (client, opts, cb) => client.Join({ addr: this.o.self.addr }, opts, cb));
    await this.storage.setRaftId(Number(reply.raftId));
    this.transport.setSelfId(Number(reply.raftId));
    this.joinedMembers = JSON.parse(reply.membersJson || '[]') as Member[];
    this.transport.setMembers(this.joinedMembers);
    this.start();
  }

  start(): void {
    const raftId = this.storage.raftId;
    if (raftId === undefined) throw new Error('assertion failed: raft started without a raft id');
    this.transport.setSelfId(raftId);
    this.startedAt = this.o.clock.now();
    const host = new RaftHost({
      raftId,
      storage: this.storage,
      machine: this.store!,
      transport: this.transport,
      clock: this.o.clock,
      rng: this.o.rng,
      schedule,
      ...this.o.tuning,
      maxPendingReads: this.limits.maxPendingReads,
      onFatal: (error) => {
        if (!this.closing) this.o.onFatal(error);
      },
      log: this.o.log,
      ...(this.o.trace ? { trace: this.o.trace } : {}),
    });
    this.host = host;
    this.proposer = new RaftProposer({
      host,
      clock: this.o.clock,
      rng: this.o.rng,
      defer: (fn) => setImmediate(fn),
      schedule,
      reachability: () => this.reachability(),
      maxPendingTransactions: this.limits.maxPendingProposals,
      diskFull: () => this.disk.diskFull,
      ...(this.o.trace ? { trace: this.o.trace } : {}),
    });
    this.store!.setProposer(this.proposer);
    host.on({
      leadership: (leader) => {
        if (!leader) this.proposer?.leadershipLost();
        this.o.onLeadership(leader);
      },
      confApplied: (cc) => this.confApplied(cc),
      changed: () => this.promoteCaughtUpLearners(),
    });
    host.start();
  }

  deliver(m: Message): void {
    this.transport.received(m.from);
    this.host?.step(m);
  }

  isLeader(): boolean {
    return this.host?.isLeader() ?? false;
  }

  async waitUntilLeader(timeoutMs: number): Promise<void> {
    const leads = (await this.host?.until(() => this.isLeader(), timeoutMs)) ?? false;
    if (!leads) throw unavailable('this manager did not become the leader in time');
  }

  leaderAddrNow(): string | undefined {
    const lead = this.host?.status().lead;
    return lead ? this.host?.member(lead)?.addr : undefined;
  }

  /**
   * The leader's address, waiting up to `waitMs` for one to be elected — or, given `unlike` (a
   * leader that could not be reached), for another one — re-checked on each change of the Raft
   * state; undefined at once when too few managers are reachable to elect one.
   */
  async leaderAddr(waitMs: number, unlike?: string): Promise<string | undefined> {
    const host = this.host;
    if (!host) return undefined;
    const known = (): boolean => {
      const addr = this.knownLeaderAddr();
      return addr !== undefined && addr !== unlike;
    };
    await host.until(() => known() || (!host.status().lead && !this.quorumReachable()), waitMs);
    return this.knownLeaderAddr();
  }

  /** The address of the leader as this manager knows it now (itself once its leadership is usable). */
  private knownLeaderAddr(): string | undefined {
    const lead = this.host?.status().lead;
    if (!lead) return undefined;
    if (lead === this.raftId) return this.isLeader() ? this.o.self.addr : undefined;
    return this.host?.member(lead)?.addr;
  }

  /** Confirms leadership before a read; '' when confirmed, else a staleness warning. */
  async readBarrier(): Promise<string> {
    // A manager waiting for disk space cannot confirm a read: it answers at once, saying why.
    if (this.disk.diskFull) return this.staleWarning();
    try {
      await this.host!.readBarrier(2_000);
      return '';
    } catch (e) {
      if (isShoalError(e) && e.code === ERROR_CODES.RESOURCE_EXHAUSTED) throw e;
      return this.staleWarning();
    }
  }

  /**
   * Whether enough voters are reachable to elect a leader; no point waiting for one otherwise.
   * Right after start nobody has been heard from yet: assume they are until the window has passed.
   */
  private quorumReachable(): boolean {
    if (!this.host) return false;
    if (this.o.clock.now() - this.startedAt < REACHABLE_WINDOW_MS) return true;
    const r = this.reachability();
    return r.reachable >= quorumOf(r.total);
  }

  noQuorumMessage(): string {
    return noQuorumError(this.reachability()).message;
  }

  staleWarning(): string {
    if (this.disk.diskFull) return `${DISK_FULL_MESSAGE}: this is the last state this manager knows and may be stale`;
    return staleReadWarning(this.reachability());
  }

  private reachability(): Reachability {
    return this.host ? reachableVoters(this.host, this.o.clock, REACHABLE_WINDOW_MS) : { reachable: 0, total: 0 };
  }

  /** Voters and learners of the group as this manager knows it. */
  memberCount(): number {
    return this.host?.memberList().length ?? 1;
  }

  /** The group counts `nodeId` as a member, as this manager knows it (a joiner: from the Join reply until its first snapshot). */
  isMember(nodeId: string): boolean {
    return this.knownMembers().some((m) => m.nodeId === nodeId);
  }

  /** The node holding `raftId`, as this manager knows the group (a joiner: from the Join reply until its first snapshot). */
  nodeOfRaftId(raftId: NodeId): string | undefined {
    return this.knownMembers().find((m) => m.raftId === raftId)?.nodeId;
  }

  private knownMembers(): Member[] {
    const members = this.host?.memberList() ?? [];
    return members.length > 0 ? members : this.joinedMembers;
  }

  raftIdOf(nodeId: string): NodeId | undefined {
    return this.host?.memberList().find((m) => m.nodeId === nodeId)?.raftId;
  }

  /** Leader, reachability and Raft ID of a manager node, as this manager sees them. */
  memberStatus(nodeId: string): { raftId?: number; leader: boolean; reachability: 'reachable' | 'unreachable' } {
    const raftId = this.raftIdOf(nodeId);
    if (raftId === undefined || !this.host) return { leader: false, reachability: 'unreachable' };
    const reachability = this.memberReachable(raftId) ? 'reachable' : 'unreachable';
    return { raftId, leader: this.host.status().lead === raftId, reachability };
  }

  // ---- membership (leader side) --------------------------------------------------------------

  /** Raft.Join on the leader: adds the manager `nodeId` as a learner; it becomes a voter once caught up. */
  async admit(nodeId: string, addr: string): Promise<{ raftId: number; members: Member[] }> {
    const raftId = await this.addLearner(nodeId, addr);
    return { raftId, members: this.host!.memberList() };
  }

  private async addLearner(nodeId: string, addr: string): Promise<number> {
    this.requireLeader();
    const node = this.store!.view().get('nodes', nodeId);
    if (!node || node.spec.role !== 'manager') throw failedPrecondition(`node ${nodeId} is not a manager of this swarm`);
    const existing = this.host!.memberList().find((m) => m.nodeId === nodeId);
    if (existing && existing.addr === addr) return existing.raftId;
    if (existing) await this.confChanges.change({ type: 'remove', node: existing.raftId, context: '' });
    const raftId = this.newRaftId();
    await this.confChanges.change({ type: 'addLearner', node: raftId, context: encodeMemberContext({ raftId, nodeId, addr }) });
    await this.store!.update((tx) => {
      const n = tx.get('nodes', nodeId);
      if (n) tx.update('nodes', { ...n, managerStatus: { raftId, addr, leader: false, reachability: 'unknown' } });
    });
    this.o.log('manager admitted to the raft group as a learner', { nodeId, raftId, addr });
    return raftId;
  }

  /**
   * Removes the manager `nodeId` from the Raft group (leave, demote). Without `force`, refused
   * when the remaining managers could not form a quorum.
   */
  async removeMember(nodeId: string, o: { force: boolean }): Promise<void> {
    this.requireLeader();
    const member = this.host!.memberList().find((m) => m.nodeId === nodeId);
    if (!member) return;
    if (!o.force) this.checkQuorumWithout(member.raftId);
    // The leader may remove itself: once the change is applied it steps down and the others elect.
    await this.confChanges.change({ type: 'remove', node: member.raftId, context: '' });
  }

  /** Throws when removing `raftId` would leave fewer reachable voters than a quorum. */
  checkQuorumWithout(raftId: NodeId): void {
    if (!this.host!.status().voters.includes(raftId)) return;
    const error = removalBreaksQuorum(this.reachability(), this.memberReachable(raftId));
    if (error) throw error;
  }

  /** `swarm leave` of this manager: transfer leadership if it leads, then ask the leader to remove it. */
  async leave(o: { force: boolean }): Promise<void> {
    if (!this.host) return;
    if (!o.force && this.host.status().voters.length > 1) this.checkQuorumWithout(this.raftId);
    if (this.isLeader()) await this.transferAway();
    const managers = this.host.memberList().filter((m) => m.raftId !== this.raftId).map((m) => m.addr);
    if (managers.length === 0) return;
    try {
      await askLeader(managers, this.o.credentials, this.o.clock, (client, opts, cb) => client.Leave({ nodeId: this.o.self.nodeId }, opts, cb), 10_000);
    } catch (e) {
      if (!o.force) throw e;
      this.o.log('could not tell the leader this manager leaves', { error: (e as Error).message });
    }
  }

  /** Hands leadership to the most up-to-date reachable voter and waits until it has it. */
  private async transferAway(): Promise<void> {
    const s = this.host!.status();
    const candidates = s.voters.filter((id) => id !== this.raftId && this.memberReachable(id));
    const best = candidates.sort((a, b) => (s.progress[b]?.match ?? 0) - (s.progress[a]?.match ?? 0))[0];
    if (best === undefined) return;
    this.o.log('transferring leadership before leaving', { to: best });
    this.host!.transferLeadership(best);
    await this.host!.until(() => !this.isLeader(), 5_000);
    await this.leaderAddr(3_000);
  }

  private memberReachable(raftId: NodeId): boolean {
    return isReachable(this.host!, this.o.clock, REACHABLE_WINDOW_MS, raftId);
  }

  private promoteCaughtUpLearners(): void {
    if (!this.isLeader() || this.confChanges.pending) return;
    const s = this.host!.status();
    const ready = s.learners.find((id) => (s.progress[id]?.match ?? 0) >= s.commit);
    if (ready === undefined) return;
    const m = this.host!.member(ready);
    this.confChanges.change({ type: 'addVoter', node: ready, context: m ? encodeMemberContext(m) : '' }).then(
      () => this.o.log('learner caught up: now a voter', { raftId: ready }),
      (e: unknown) => this.o.log('could not promote a learner', { raftId: ready, error: String(e) }),
    );
  }

  private confApplied(cc: ConfChange): void {
    this.confChanges.applied(cc);
    if (cc.type === 'remove' && cc.node === this.raftId) this.o.onRemoved();
  }

  private requireLeader(): void {
    if (this.isLeader()) return;
    const leader = this.leaderAddrNow();
    throw failedPrecondition(`this manager is not the raft leader; ${leader ? `the leader is at ${leader}` : 'no leader is elected'}`);
  }

  private newRaftId(): number {
    return 1 + Math.floor(this.o.rng.next() * 2 ** 48);
  }

  async close(): Promise<void> {
    this.closing = true;
    // A Ready waiting for disk space would hold the host's stop forever.
    this.disk.stopRetrying();
    await this.proposer?.close();
    await this.host?.stop();
    this.transport.close();
    await this.storage.close();
  }
}
