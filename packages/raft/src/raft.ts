import { randomInt, type Rng } from '@shoal/common';
import { acknowledge, backOff, newProgress, quorum, quorumMatch, type ProgressMap } from './progress.js';
import { RaftLog } from './raft-log.js';
import type { Storage } from './storage.js';
import { message, NONE, type Entry, type HardState, type Message, type NodeId, type SoftState, type StateRole } from './types.js';

export interface RaftConfig {
  id: NodeId;
  /** Every voter, including this node. */
  peers: readonly NodeId[];
  storage: Storage;
  rng: Rng;
  /** Base election timeout in ticks; followers wait a random time in [election, 2 * election). */
  electionTicks?: number;
  heartbeatTicks?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
}

/**
 * The Raft protocol itself (elections, PreVote, CheckQuorum, replication, commitment) with no
 * I/O: inputs are ticks and messages, outputs are `msgs` and the state of `log`.
 */
export class Raft {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  readonly log: RaftLog;
  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  state: StateRole = 'follower';
  msgs: Message[] = [];

  private readonly rng: Rng;
  private readonly electionTimeout: number;
  private readonly heartbeatTimeout: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private randomizedElectionTimeout = 0;
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private votes = new Map<NodeId, boolean>();
  private progress: ProgressMap = new Map();

  constructor(cfg: RaftConfig) {
    if (!cfg.peers.includes(cfg.id)) throw new Error(`peers must include the node itself (${cfg.id})`);
    this.id = cfg.id;
    this.peers = [...cfg.peers];
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
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.state = 'follower';
  }

  private becomePreCandidate(): void {
    // A pre-candidate changes neither its term nor its vote, so a failed pre-election is harmless.
    const { term, vote } = this;
    this.reset(term);
    this.vote = vote;
    this.state = 'pre-candidate';
  }

  private becomeCandidate(): void {
    this.reset(this.term + 1);
    this.vote = this.id;
    this.state = 'candidate';
  }

  private becomeLeader(): void {
    this.reset(this.term);
    this.lead = this.id;
    this.state = 'leader';
    for (const peer of this.peers) this.progress.set(peer, newProgress(this.log.lastIndex() + 1));
    // An entry of the new term lets the leader commit everything before it (§5.4.2).
    this.appendEntries([{ type: 'normal', data: new Uint8Array() }]);
    this.broadcastAppend();
  }

  // ---- elections ---------------------------------------------------------------------------

  /** Starts a (pre-)election now, as an election timeout would. */
  campaign(): void {
    if (this.state === 'leader') return;
    if (this.preVote) this.startElection('pre-candidate');
    else this.startElection('candidate');
  }

  private startElection(role: 'pre-candidate' | 'candidate'): void {
    if (role === 'pre-candidate') this.becomePreCandidate();
    else this.becomeCandidate();
    const type = role === 'pre-candidate' ? 'MsgPreVote' : 'MsgVote';
    const term = role === 'pre-candidate' ? this.term + 1 : this.term;
    if (this.recordVote(this.id, true)) return;
    for (const peer of this.peers) {
      if (peer === this.id) continue;
      this.send(message({ type, from: this.id, to: peer, term, index: this.log.lastIndex(), logTerm: this.log.lastTerm() }));
    }
  }

  /** Records a vote; on a decided election moves on and returns true. */
  private recordVote(from: NodeId, granted: boolean): boolean {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    const q = quorum(this.peers.length);
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
    if (this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.campaign();
    }
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum && !this.quorumActive()) {
        this.becomeFollower(this.term, NONE);
        return;
      }
    }
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      this.broadcastHeartbeat();
    }
  }

  /** CheckQuorum: has a quorum (counting us) been heard from since the last round? Resets the round. */
  private quorumActive(): boolean {
    let active = 0;
    for (const [peer, pr] of this.progress) {
      if (peer === this.id || pr.recentActive) active++;
      pr.recentActive = false;
    }
    return active >= quorum(this.peers.length);
  }

  // ---- messages ----------------------------------------------------------------------------

  step(m: Message): void {
    if (m.type === 'MsgProp') {
      this.stepProposal(m);
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
    if (this.state === 'leader') this.stepLeader(m);
    else if (this.state === 'follower') this.stepFollower(m);
    else this.stepCandidate(m);
  }

  /** A message from a later term. Returns false when it is to be ignored. */
  private stepHigherTerm(m: Message): boolean {
    const isVote = m.type === 'MsgVote' || m.type === 'MsgPreVote';
    // While we hear from a leader, a node that wants an election is cut off from it, not us.
    const inLease = this.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout;
    if (isVote && inLease) return false;
    if (m.type === 'MsgPreVote') return true; // answered without changing our term
    if (m.type === 'MsgPreVoteResp' && !m.reject) return true; // a granted pre-vote for our next term
    const fromLeader = m.type === 'MsgApp' || m.type === 'MsgHeartbeat';
    this.becomeFollower(m.term, fromLeader ? m.from : NONE);
    return true;
  }

  private stepLowerTerm(m: Message): void {
    if ((this.checkQuorum || this.preVote) && (m.type === 'MsgApp' || m.type === 'MsgHeartbeat')) {
      // Tell a stale leader about our term so that it steps down (it cannot disrupt us).
      this.send(message({ type: 'MsgAppResp', from: this.id, to: m.from, term: this.term }));
    } else if (m.type === 'MsgPreVote') {
      this.send(message({ type: 'MsgPreVoteResp', from: this.id, to: m.from, term: this.term, reject: true }));
    }
  }

  private stepProposal(m: Message): void {
    if (this.state !== 'leader') return;
    this.appendEntries(m.entries);
    this.broadcastAppend();
  }

  private stepFollower(m: Message): void {
    if (m.type === 'MsgApp') {
      this.heardFromLeader(m.from);
      this.handleAppend(m);
    } else if (m.type === 'MsgHeartbeat') {
      this.heardFromLeader(m.from);
      this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
      this.send(message({ type: 'MsgHeartbeatResp', from: this.id, to: m.from, term: this.term }));
    }
  }

  private stepCandidate(m: Message): void {
    const wanted = this.state === 'pre-candidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
    if (m.type === wanted) {
      this.recordVote(m.from, !m.reject);
    } else if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat') {
      // A leader of our term exists: stop campaigning and follow it.
      this.becomeFollower(this.term, m.from);
      this.stepFollower(m);
    }
  }

  private heardFromLeader(from: NodeId): void {
    this.electionElapsed = 0;
    this.lead = from;
  }

  private handleAppend(m: Message): void {
    const reply = { type: 'MsgAppResp' as const, from: this.id, to: m.from, term: this.term };
    if (m.index < this.log.committed) {
      this.send(message({ ...reply, index: this.log.committed }));
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.entries);
    if (lastNew === undefined) {
      this.send(message({ ...reply, index: m.index, reject: true, rejectHint: this.log.lastIndex() }));
      return;
    }
    this.log.commitTo(Math.min(m.commit, lastNew));
    this.send(message({ ...reply, index: lastNew }));
  }

  // ---- leader ------------------------------------------------------------------------------

  private stepLeader(m: Message): void {
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    if (m.type === 'MsgAppResp') {
      pr.recentActive = true;
      this.handleAppendResponse(m);
    } else if (m.type === 'MsgHeartbeatResp') {
      pr.recentActive = true;
      pr.paused = false;
      if (pr.match < this.log.lastIndex()) this.sendAppend(m.from);
    }
  }

  private handleAppendResponse(m: Message): void {
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    if (m.reject) {
      if (backOff(pr, m.index, m.rejectHint)) this.sendAppend(m.from);
      return;
    }
    if (!acknowledge(pr, m.index)) return;
    if (this.maybeCommit()) this.broadcastAppend();
    else if (pr.next <= this.log.lastIndex()) this.sendAppend(m.from);
  }

  /** Commits the highest index on a quorum, but only if it is of our term (§5.4.2). */
  private maybeCommit(): boolean {
    const index = quorumMatch([...this.progress.values()].map((pr) => pr.match));
    if (index <= this.log.committed || this.log.term(index) !== this.term) return false;
    return this.log.commitTo(index);
  }

  private appendEntries(entries: readonly Pick<Entry, 'type' | 'data'>[]): void {
    const last = this.log.lastIndex();
    this.log.append(entries.map((e, i) => ({ term: this.term, index: last + 1 + i, type: e.type, data: e.data })));
    const self = this.progress.get(this.id);
    if (self !== undefined) acknowledge(self, this.log.lastIndex());
    this.maybeCommit();
  }

  private broadcastAppend(): void {
    for (const peer of this.peers) if (peer !== this.id) this.sendAppend(peer);
  }

  private sendAppend(to: NodeId): void {
    const pr = this.progress.get(to);
    if (pr === undefined || pr.paused) return;
    const prev = pr.next - 1;
    const entries = this.log.slice(pr.next, this.log.lastIndex() + 1);
    const logTerm = this.log.term(prev) ?? 0;
    this.send(message({ type: 'MsgApp', from: this.id, to, term: this.term, index: prev, logTerm, entries, commit: this.log.committed }));
    if (pr.state === 'replicate') pr.next = prev + entries.length + 1;
    else pr.paused = true;
  }

  private broadcastHeartbeat(): void {
    for (const [peer, pr] of this.progress) {
      if (peer === this.id) continue;
      // A follower may only learn a commit index its log is known to reach.
      const commit = Math.min(pr.match, this.log.committed);
      this.send(message({ type: 'MsgHeartbeat', from: this.id, to: peer, term: this.term, commit }));
    }
  }

  private send(m: Message): void {
    this.msgs.push(m);
  }
}
