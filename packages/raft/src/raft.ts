import { assert, randomInt, type Rng } from '@shoal/common';
import { Membership } from './membership.js';
import { acceptsConfEntries, applyConfChange, proposeConfChange, reportSnapshot, reportUnreachable, stepLeader, transferLeadership } from './leader.js';
import { acknowledge, newProgress, quorum, quorumActive, type ProgressMap } from './progress.js';
import { RaftLog } from './raft-log.js';
import { ReadIndex } from './read-index.js';
import { broadcastAppend, broadcastHeartbeat, handleAppend, handleSnapshot, maybeCommit } from './replication.js';
import type { RaftConfig } from './raft-config.js';
import { message, NONE, type ConfChange, type ConfState, type Entry, type HardState, type Message, type NodeId, type ReadState, type SoftState, type StateRole } from './types.js';

/** The context of the vote requests of a campaign started by MsgTimeoutNow. */
const CAMPAIGN_TRANSFER = 'transfer';

export type { RaftConfig } from './raft-config.js';

/**
 * The Raft protocol itself (elections, PreVote, CheckQuorum, replication, commitment, proposal
 * forwarding, leadership transfer, reads via `ReadIndex`, membership changes, flow control) with
 * no I/O: inputs are ticks and messages, outputs are `msgs`, `readStates` and the state of `log`.
 * The leader's side beyond replication lives in `leader.ts`.
 */
export class Raft {
  readonly id: NodeId;
  /** The configuration in force: changes take effect when applied (`applyConfChange`). */
  readonly conf: Membership;
  readonly log: RaftLog;
  readonly maxSizePerMsg: number;
  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  state: StateRole = 'follower';
  msgs: Message[] = [];
  /** Confirmed reads for the driver (see `Ready.readStates`). */
  readStates: ReadState[] = [];
  /** Leader only: per-follower replication progress. */
  progress: ProgressMap = new Map();
  /** Leader only: the node leadership is being handed to, or NONE. */
  leadTransferee: NodeId = NONE;
  /** Leader only: the index of the last conf entry it appended (or its last index when elected). */
  pendingConfIndex = 0;

  private readonly rng: Rng;
  private readonly electionTimeout: number;
  private readonly heartbeatTimeout: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private readonly maxInflightMsgs: number;
  private randomizedElectionTimeout = 0;
  private heartbeatElapsed = 0;
  private votes = new Map<NodeId, boolean>();
  /** Ticks since the last reset (for a leader: since the last CheckQuorum round). */
  electionElapsed = 0;
  /** The leader's pending ReadIndex requests (a new instance on every role or term change). */
  reads = new ReadIndex(this);

  constructor(cfg: RaftConfig) {
    this.id = cfg.id;
    const snap = cfg.storage.snapshot();
    const fromSnapshot = snap.index > 0 && snap.voters.length > 0;
    this.conf = new Membership(fromSnapshot ? snap : { voters: [...cfg.peers], learners: [...(cfg.learners ?? [])] });
    this.maxInflightMsgs = cfg.maxInflightMsgs ?? 256;
    this.maxSizePerMsg = cfg.maxSizePerMsg ?? 1024 * 1024;
    this.rng = cfg.rng;
    this.electionTimeout = cfg.electionTicks ?? 10;
    this.heartbeatTimeout = cfg.heartbeatTicks ?? 1;
    if (this.heartbeatTimeout >= this.electionTimeout) throw new Error('heartbeatTicks must be below electionTicks');
    this.preVote = cfg.preVote ?? true;
    this.checkQuorum = cfg.checkQuorum ?? true;
    const hs = cfg.storage.initialState();
    this.log = new RaftLog(cfg.storage, hs.commit);
    this.becomeFollower(hs.term, NONE);
    this.vote = hs.vote;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { lead: this.lead, state: this.state };
  }

  // ---- state transitions -------------------------------------------------------------------

  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.electionTimeout + randomInt(this.rng, this.electionTimeout);
    this.votes = new Map();
    this.progress = new Map();
    this.leadTransferee = NONE;
    this.reads = new ReadIndex(this);
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.state = 'follower';
  }

  private becomePreCandidate(): void {
    assert(this.state !== 'leader', `raft ${this.id}: invalid transition leader -> pre-candidate`);
    // A pre-candidate changes neither its term nor its vote, so a failed pre-election is harmless.
    const { term, vote } = this;
    this.reset(term);
    this.vote = vote;
    this.state = 'pre-candidate';
  }

  private becomeCandidate(): void {
    assert(this.state !== 'leader', `raft ${this.id}: invalid transition leader -> candidate`);
    this.reset(this.term + 1);
    this.vote = this.id;
    this.state = 'candidate';
  }

  private becomeLeader(): void {
    assert(this.state === 'candidate', `raft ${this.id}: invalid transition ${this.state} -> leader`);
    this.reset(this.term);
    this.lead = this.id;
    this.state = 'leader';
    for (const peer of this.conf.members()) this.addProgress(peer);
    const self = this.progress.get(this.id);
    if (self !== undefined) acknowledge(self, this.log.stableLastIndex(), this.log.firstIndex());
    // An entry of the new term lets the leader commit everything before it (§5.4.2). Until it is
    // applied, a conf entry of an earlier term may still be unapplied: no new change before that.
    this.appendEntries([{ type: 'normal', data: new Uint8Array() }]);
    this.pendingConfIndex = this.log.lastIndex();
    broadcastAppend(this);
  }

  // ---- elections ---------------------------------------------------------------------------

  addProgress(peer: NodeId): void {
    this.progress.set(peer, newProgress(this.log.lastIndex() + 1, this.maxInflightMsgs));
  }

  /** Only a voter that knows its cluster's configuration may campaign. */
  promotable(): boolean {
    return this.conf.known && this.conf.isVoter(this.id);
  }

  /**
   * Starts a (pre-)election now, as an election timeout would. A no-op unless promotable, and
   * while a committed conf change is unapplied (etcd's `hup`): votes would be counted under an
   * older configuration (a restarted node whose snapshot predates the change could win alone).
   */
  campaign(): void {
    if (this.state === 'leader' || !this.promotable() || this.log.hasUnappliedConf()) return;
    if (this.preVote) this.startElection('pre-candidate');
    else this.startElection('candidate');
  }

  /** `transfer`: started by MsgTimeoutNow, so voters grant it despite a leader lease. */
  private startElection(role: 'pre-candidate' | 'candidate', transfer = false): void {
    if (role === 'pre-candidate') this.becomePreCandidate();
    else this.becomeCandidate();
    const type = role === 'pre-candidate' ? 'MsgPreVote' : 'MsgVote';
    const term = role === 'pre-candidate' ? this.term + 1 : this.term;
    if (this.recordVote(this.id, true)) return;
    const context = transfer ? CAMPAIGN_TRANSFER : '';
    for (const peer of this.conf.voters) {
      if (peer === this.id) continue;
      this.send(message({ type, from: this.id, to: peer, term, index: this.log.lastIndex(), logTerm: this.log.lastTerm(), context }));
    }
  }

  /** Records a vote; on a decided election moves on and returns true. */
  private recordVote(from: NodeId, granted: boolean): boolean {
    if (!this.conf.isVoter(from)) return false; // a learner's answer never counts
    if (!this.votes.has(from)) this.votes.set(from, granted);
    const q = quorum(this.conf.voters.size);
    const yes = [...this.votes.values()].filter((v) => v).length;
    const no = this.votes.size - yes;
    if (yes >= q) {
      if (this.state === 'pre-candidate') this.startElection('candidate');
      else this.becomeLeader();
      return true;
    }
    if (no >= q) {
      this.becomeFollower(this.term, NONE);
      return true;
    }
    return false;
  }

  private handleVoteRequest(m: Message): void {
    const pre = m.type === 'MsgPreVote';
    const canVote = this.vote === m.from || (this.vote === NONE && this.lead === NONE) || (pre && m.term > this.term);
    const grant = canVote && this.log.isUpToDate(m.index, m.logTerm);
    const type = pre ? 'MsgPreVoteResp' : 'MsgVoteResp';
    // A granted pre-vote answers in the candidate's future term; a refusal in ours.
    this.send(message({ type, from: this.id, to: m.from, term: grant ? m.term : this.term, reject: !grant }));
    if (grant && !pre) {
      this.electionElapsed = 0;
      this.vote = m.from;
    }
  }

  // ---- ticks -------------------------------------------------------------------------------

  tick(): void {
    if (this.state === 'leader') this.tickLeader();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.electionElapsed >= this.randomizedElectionTimeout && this.promotable()) {
      this.electionElapsed = 0;
      this.campaign();
    }
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum && !quorumActive(this.progress, this.id, (peer) => this.conf.isVoter(peer), this.conf.voters.size)) {
        this.becomeFollower(this.term, NONE);
        return;
      }
      // The transferee did not take over within an election timeout: keep leading.
      this.leadTransferee = NONE;
    }
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      broadcastHeartbeat(this, this.reads.heartbeatContext());
    }
  }

  // ---- messages ----------------------------------------------------------------------------

  step(m: Message): void {
    if (m.type === 'MsgProp') {
      this.stepProposal(m);
      return;
    }
    if (m.type === 'MsgReadIndex') {
      this.reads.step(m);
      return;
    }
    if (m.term > this.term && !this.stepHigherTerm(m)) return;
    if (m.term < this.term) {
      this.stepLowerTerm(m);
      return;
    }
    if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
      this.handleVoteRequest(m);
      return;
    }
    if (this.state === 'leader') stepLeader(this, m);
    else if (this.state === 'follower') this.stepFollower(m);
    else this.stepCandidate(m);
  }

  /** A message from a later term. Returns false when it is to be ignored. */
  private stepHigherTerm(m: Message): boolean {
    const isVote = m.type === 'MsgVote' || m.type === 'MsgPreVote';
    // While we hear from a leader, a node that wants an election is cut off from it, not us.
    const inLease = this.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout;
    if (isVote && inLease && m.context !== CAMPAIGN_TRANSFER) return false;
    if (m.type === 'MsgPreVote') return true; // answered without changing our term
    if (m.type === 'MsgPreVoteResp' && !m.reject) return true; // a granted pre-vote for our next term
    const fromLeader = m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap';
    this.becomeFollower(m.term, fromLeader ? m.from : NONE);
    return true;
  }

  private stepLowerTerm(m: Message): void {
    if ((this.checkQuorum || this.preVote) && (m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap')) {
      // Tell a stale leader about our term so that it steps down (it cannot disrupt us).
      this.send(message({ type: 'MsgAppResp', from: this.id, to: m.from, term: this.term }));
    } else if (m.type === 'MsgPreVote') {
      this.send(message({ type: 'MsgPreVoteResp', from: this.id, to: m.from, term: this.term, reject: true }));
    }
  }

  /**
   * A proposal, local or forwarded. The leader appends it (unless it is handing leadership over);
   * a follower forwards it to the leader it knows. Returns false when it is dropped.
   */
  stepProposal(m: Message): boolean {
    if (this.state === 'leader') {
      if (this.leadTransferee !== NONE) return false;
      if (m.entries.some((e) => e.type === 'conf') && !acceptsConfEntries(this, m.entries)) return false;
      this.appendEntries(m.entries);
      if (m.entries.some((e) => e.type === 'conf')) this.pendingConfIndex = this.log.lastIndex();
      broadcastAppend(this);
      return true;
    }
    if (this.state !== 'follower' || this.lead === NONE) return false;
    this.send({ ...m, from: this.id, to: this.lead, term: 0 });
    return true;
  }

  private stepFollower(m: Message): void {
    if (m.type === 'MsgApp') {
      this.heardFromLeader(m.from);
      handleAppend(this, m);
    } else if (m.type === 'MsgSnap') {
      this.heardFromLeader(m.from);
      handleSnapshot(this, m);
    } else if (m.type === 'MsgHeartbeat') {
      this.heardFromLeader(m.from);
      this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
      this.send(message({ type: 'MsgHeartbeatResp', from: this.id, to: m.from, term: this.term, context: m.context }));
    } else if (m.type === 'MsgTimeoutNow') {
      // The leader hands over: campaign at once, skipping PreVote (the cluster expects us).
      if (this.promotable() && !this.log.hasUnappliedConf()) this.startElection('candidate', true);
    } else if (m.type === 'MsgReadIndexResp') {
      this.readStates.push({ index: m.index, requestCtx: m.context });
    }
  }

  private stepCandidate(m: Message): void {
    const wanted = this.state === 'pre-candidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
    if (m.type === wanted) {
      this.recordVote(m.from, !m.reject);
    } else if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap') {
      // A leader of our term exists: stop campaigning and follow it.
      this.becomeFollower(this.term, m.from);
      this.stepFollower(m);
    }
  }

  /** See `RaftNode.forgetLeader` (etcd's ForgetLeader, and the lease counts as over). */
  forgetLeader(): void {
    if (this.state !== 'follower' || this.lead === NONE) return;
    this.lead = NONE;
    this.electionElapsed = Math.max(this.electionElapsed, this.electionTimeout);
  }

  private heardFromLeader(from: NodeId): void {
    this.electionElapsed = 0;
    this.lead = from;
  }

  /**
   * The leader appends to its log. Its own progress counts the entries only once they are on its
   * disk (`stableAppended`), so the driver may send them to followers while it writes them
   * (thesis §10.2.1) and a quorum never counts an entry the leader could still lose.
   */
  appendEntries(entries: readonly Pick<Entry, 'type' | 'data'>[]): void {
    const last = this.log.lastIndex();
    this.log.append(entries.map((e, i) => ({ term: this.term, index: last + 1 + i, type: e.type, data: e.data })));
  }

  /** The driver persisted the log up to `index` (of `term`): a leader counts itself up to there. */
  stableAppended(index: number, term: number): void {
    if (this.state !== 'leader' || term !== this.term) return;
    const self = this.progress.get(this.id);
    if (self === undefined || !acknowledge(self, index, this.log.firstIndex())) return;
    if (!maybeCommit(this)) return;
    broadcastAppend(this);
    this.reads.committed();
  }

  // ---- leader API (see leader.ts) ----------------------------------------------------------

  /** Leader only: hands leadership to the voter `to` (thesis §3.10). */
  transferLeadership(to: NodeId): boolean {
    return transferLeadership(this, to);
  }

  proposeConfChange(cc: ConfChange): boolean {
    return proposeConfChange(this, cc);
  }

  applyConfChange(cc: ConfChange): ConfState {
    return applyConfChange(this, cc);
  }

  reportUnreachable(id: NodeId): void {
    reportUnreachable(this, id);
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    reportSnapshot(this, id, ok);
  }

  /** A read request (MsgReadIndex), local or forwarded; see `ReadIndex`. */
  stepReadIndex(m: Message): boolean {
    return this.reads.step(m);
  }

  send(m: Message): void {
    this.msgs.push(m);
  }
}
