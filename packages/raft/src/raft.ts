import { randomInt, type Rng } from '@shoal/common';
import { acknowledge, newProgress, quorum, type ProgressMap } from './progress.js';
import { RaftLog } from './raft-log.js';
import { ReadIndex } from './read-index.js';
import { broadcastAppend, broadcastHeartbeat, handleAppend, handleAppendResponse, handleSnapshot, maybeCommit, sendAppend } from './replication.js';
import type { Storage } from './storage.js';
import { message, NONE, type Entry, type HardState, type Message, type NodeId, type ReadState, type SoftState, type StateRole } from './types.js';

/** The context of the vote requests of a campaign started by MsgTimeoutNow. */
const CAMPAIGN_TRANSFER = 'transfer';

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
 * The Raft protocol itself (elections, PreVote, CheckQuorum, replication, commitment, proposal
 * forwarding, leadership transfer, reads via `ReadIndex`) with no I/O: inputs are ticks and
 * messages, outputs are `msgs`, `readStates` and the state of `log`.
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
  /** Confirmed reads for the driver (see `Ready.readStates`). */
  readStates: ReadState[] = [];
  /** Leader only: per-follower replication progress. */
  progress: ProgressMap = new Map();
  /** Leader only: the node leadership is being handed to, or NONE. */
  leadTransferee: NodeId = NONE;

  private readonly rng: Rng;
  private readonly electionTimeout: number;
  private readonly heartbeatTimeout: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private randomizedElectionTimeout = 0;
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private votes = new Map<NodeId, boolean>();
  private reads = new ReadIndex(this);

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
    this.leadTransferee = NONE;
    this.reads = new ReadIndex(this);
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
    broadcastAppend(this);
  }

  // ---- elections ---------------------------------------------------------------------------

  /** Starts a (pre-)election now, as an election timeout would. */
  campaign(): void {
    if (this.state === 'leader') return;
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
    for (const peer of this.peers) {
      if (peer === this.id) continue;
      this.send(message({ type, from: this.id, to: peer, term, index: this.log.lastIndex(), logTerm: this.log.lastTerm(), context }));
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
      // The transferee did not take over within an election timeout: keep leading.
      this.leadTransferee = NONE;
    }
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      broadcastHeartbeat(this, this.reads.heartbeatContext());
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
    if (this.state === 'leader') this.stepLeader(m);
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
      this.appendEntries(m.entries);
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
      this.startElection('candidate', true);
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

  private heardFromLeader(from: NodeId): void {
    this.electionElapsed = 0;
    this.lead = from;
  }

  // ---- leader ------------------------------------------------------------------------------

  private stepLeader(m: Message): void {
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    if (m.type === 'MsgAppResp') {
      pr.recentActive = true;
      const result = handleAppendResponse(this, m);
      if (result === 'committed') {
        broadcastAppend(this);
        this.reads.committed();
      }
      if (result !== undefined && m.from === this.leadTransferee && pr.match === this.log.lastIndex()) {
        this.sendTimeoutNow(m.from);
      }
    } else if (m.type === 'MsgHeartbeatResp') {
      pr.recentActive = true;
      pr.paused = false;
      if (pr.match < this.log.lastIndex()) sendAppend(this, m.from);
      if (m.context !== '') this.reads.heartbeatAck(m.from, m.context);
    }
  }

  private appendEntries(entries: readonly Pick<Entry, 'type' | 'data'>[]): void {
    const last = this.log.lastIndex();
    this.log.append(entries.map((e, i) => ({ term: this.term, index: last + 1 + i, type: e.type, data: e.data })));
    const self = this.progress.get(this.id);
    if (self !== undefined) acknowledge(self, this.log.lastIndex());
    if (maybeCommit(this)) this.reads.committed();
  }

  // ---- leadership transfer -----------------------------------------------------------------

  /**
   * Leader only: hands leadership to `to`. Proposals are refused meanwhile; once `to` has the
   * whole log it gets MsgTimeoutNow and campaigns at once. Abandoned after an election timeout.
   */
  transferLeadership(to: NodeId): boolean {
    if (this.state !== 'leader' || to === this.id || !this.progress.has(to)) return false;
    if (this.leadTransferee === to) return true;
    this.leadTransferee = to;
    this.electionElapsed = 0; // the transfer gets one election timeout
    const pr = this.progress.get(to);
    if (pr !== undefined && pr.match === this.log.lastIndex()) this.sendTimeoutNow(to);
    else sendAppend(this, to);
    return true;
  }

  private sendTimeoutNow(to: NodeId): void {
    this.send(message({ type: 'MsgTimeoutNow', from: this.id, to, term: this.term }));
  }

  /** A read request (MsgReadIndex), local or forwarded; see `ReadIndex`. */
  stepReadIndex(m: Message): boolean {
    return this.reads.step(m);
  }

  send(m: Message): void {
    this.msgs.push(m);
  }
}
