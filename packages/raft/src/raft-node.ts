import { Raft, type RaftConfig } from './raft.js';
import type { ProgressState } from './progress.js';
import { message, sameHardState, type ConfChange, type ConfState, type Entry, type HardState, type Message, type MessageType, type NodeId, type Ready, type SoftState, type StateRole } from './types.js';

/** What `takeUnblockedMessages` hands out early; everything else keeps its place in a Ready. */
const UNBLOCKED: ReadonlySet<MessageType> = new Set<MessageType>(['MsgHeartbeat', 'MsgHeartbeatResp', 'MsgApp', 'MsgProp', 'MsgReadIndex', 'MsgReadIndexResp']);

export type RaftNodeConfig = RaftConfig;

/** The leader's view of one follower or learner, as reported by `status()`. */
export interface ProgressStatus {
  match: number;
  next: number;
  state: ProgressState;
  recentActive: boolean;
  learner: boolean;
}

/** What a node reports about itself, for the host and for tests. */
export interface Status {
  id: NodeId;
  term: number;
  vote: NodeId;
  lead: NodeId;
  state: StateRole;
  commit: number;
  applied: number;
  lastIndex: number;
  /** The first index still held as an entry (earlier ones are in the snapshot). */
  firstIndex: number;
  /** Leader only: the node leadership is being transferred to, or NONE. */
  leadTransferee: NodeId;
  /** The configuration in force (as applied). */
  voters: NodeId[];
  learners: NodeId[];
  /** Leader only: every member's replication progress ({} on other nodes). */
  progress: Record<NodeId, ProgressStatus>;
}

/**
 * The driver's handle on one Raft node (etcd-io/raft's RawNode). Feed it `tick()`, `step(msg)`
 * and `propose(data)`; then, while `hasReady()`, take `ready()`, persist its hard state and
 * entries, send its messages, apply its committed entries and call `advance(ready)`.
 */
export class RaftNode {
  private readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;

  constructor(cfg: RaftNodeConfig) {
    this.raft = new Raft(cfg);
    this.prevSoft = this.raft.softState();
    this.prevHard = this.raft.hardState();
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now instead of waiting for the election timeout. */
  campaign(): void {
    this.raft.campaign();
  }

  /**
   * Delivers a message from another node (including proposals and read requests a follower
   * forwards). Messages addressed elsewhere are programmer errors.
   */
  step(m: Message): void {
    if (m.to !== this.raft.id) throw new Error(`message to ${m.to} stepped into node ${this.raft.id}`);
    this.raft.step(m);
  }

  /**
   * Proposes data for the log. The leader appends it; a follower forwards it to the leader it
   * knows. Returns false when it is dropped: no known leader, a campaign under way, or a leader
   * transferring leadership (the caller retries later). True is no promise of commitment: a
   * forwarded proposal may still be lost; watch `committedEntries`.
   */
  propose(data: Uint8Array | string, type: Entry['type'] = 'normal'): boolean {
    const entry: Entry = { term: 0, index: 0, type, data };
    return this.raft.stepProposal(message({ type: 'MsgProp', from: this.raft.id, to: this.raft.id, entries: [entry] }));
  }

  /**
   * Leader only: hands leadership to `to`. Proposals are refused until the transfer ends; `to` is
   * brought up to date, then campaigns at once. Abandoned after an election timeout if `to` has
   * not won. Returns false when this node is not the leader or `to` is not another voter.
   */
  transferLeadership(to: NodeId): boolean {
    return this.raft.transferLeadership(to);
  }

  /**
   * Requests a linearizable read. Once leadership is confirmed a `ReadState` with `requestCtx`
   * appears in `Ready.readStates`; serve the read after applying up to its `index`. `requestCtx`
   * must be unique among this node's outstanding requests. Returns false when dropped (no known
   * leader); a request may also be lost with a leader change, so callers retry after a timeout.
   */
  readIndex(requestCtx: string): boolean {
    return this.raft.stepReadIndex(message({ type: 'MsgReadIndex', from: this.raft.id, to: this.raft.id, context: requestCtx }));
  }

  /**
   * Leader only: proposes a membership change (one server at a time). Returns false when this node
   * is not the leader, is transferring leadership, has a conf entry not yet applied, has not yet
   * committed an entry of its own term, or when `cc` is a no-op or invalid (removing the last
   * voter, adding an existing voter, adding a voter as a learner, removing a non-member).
   */
  proposeConfChange(cc: ConfChange): boolean {
    return this.raft.proposeConfChange(cc);
  }

  /**
   * The driver applies a committed 'conf' entry (`decodeConfChange(entry.data)`), in log order,
   * also when replaying after a restart (idempotent). Returns the configuration now in force.
   */
  applyConfChange(cc: ConfChange): ConfState {
    return this.raft.applyConfChange(cc);
  }

  /** The transport could not deliver a message to `id`: the leader stops streaming to it and probes. */
  reportUnreachable(id: NodeId): void {
    this.raft.reportUnreachable(id);
  }

  /**
   * Follower only: the driver has strong evidence that its leader is gone (its address refuses
   * connections). As etcd's ForgetLeader, the node becomes leaderless: it grants pre-votes at
   * once instead of ignoring them for the rest of the leader's lease. Beyond etcd, the lease also
   * counts as over for its own timer: it campaigns after only the random part of its election
   * timeout, [0, electionTicks) ticks from now, so the survivors of a dead leader do not wait out
   * a whole timeout. A message from the leader restores it. Timing only: safety is unchanged.
   */
  forgetLeader(): void {
    this.raft.forgetLeader();
  }

  /** The transport finished streaming a snapshot to `id` (`ok`) or gave up. */
  reportSnapshot(id: NodeId, ok: boolean): void {
    this.raft.reportSnapshot(id, ok);
  }

  hasReady(): boolean {
    const r = this.raft;
    return (
      r.msgs.length > 0 ||
      r.readStates.length > 0 ||
      r.log.pendingSnapshot !== undefined ||
      r.log.unstableEntries().length > 0 ||
      r.log.committed > r.log.applied ||
      !sameHardState(r.hardState(), this.prevHard) ||
      !sameSoftState(r.softState(), this.prevSoft)
    );
  }

  /**
   * Messages that depend on nothing still to be persisted, for the driver to send between Readies
   * while it handles one (a long fsync or apply must not hold back a leader's heartbeats, etcd-io/raft
   * lets a leader send them on its own too): heartbeats and their answers, a leader's appends
   * (it counts its own entries only once stable, thesis §10.2.1), forwarded proposals and reads.
   * None while the term or vote differs from the one last advanced (not yet durable): then every
   * message waits for its Ready. Answers that acknowledge entries or votes always wait.
   */
  takeUnblockedMessages(): Message[] {
    const r = this.raft;
    if (r.msgs.length === 0 || r.term !== this.prevHard.term || r.vote !== this.prevHard.vote) return [];
    const out: Message[] = [];
    const rest: Message[] = [];
    for (const m of r.msgs) (UNBLOCKED.has(m.type) ? out : rest).push(m);
    r.msgs = rest;
    return out;
  }

  /** Collects what the driver must do. Call `advance` with it once done. */
  ready(): Ready {
    const r = this.raft;
    const rd: Ready = {
      entries: r.log.unstableEntries(),
      messages: r.msgs,
      committedEntries: r.log.committedToApply(),
      readStates: r.readStates,
    };
    if (r.log.pendingSnapshot !== undefined) rd.snapshot = r.log.pendingSnapshot;
    r.msgs = [];
    r.readStates = [];
    const soft = r.softState();
    if (!sameSoftState(soft, this.prevSoft)) rd.softState = soft;
    const hard = r.hardState();
    if (!sameHardState(hard, this.prevHard)) rd.hardState = hard;
    return rd;
  }

  /** The driver has persisted, sent and applied everything in `rd`. */
  advance(rd: Ready): void {
    if (rd.softState) this.prevSoft = rd.softState;
    if (rd.hardState) this.prevHard = rd.hardState;
    if (rd.snapshot) this.raft.log.stableSnapTo(rd.snapshot.index);
    const lastEntry = rd.entries.at(-1);
    if (lastEntry) {
      this.raft.log.stableTo(lastEntry.index, lastEntry.term);
      this.raft.stableAppended(lastEntry.index, lastEntry.term);
    }
    const lastApplied = rd.committedEntries.at(-1);
    if (lastApplied) this.raft.log.appliedTo(lastApplied.index);
  }

  status(): Status {
    const r = this.raft;
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      lead: r.lead,
      state: r.state,
      commit: r.log.committed,
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
      firstIndex: r.log.firstIndex(),
      leadTransferee: r.leadTransferee,
      ...r.conf.confState(),
      progress: this.progressStatus(),
    };
  }

  private progressStatus(): Record<NodeId, ProgressStatus> {
    const r = this.raft;
    const out: Record<NodeId, ProgressStatus> = {};
    if (r.state !== 'leader') return out;
    for (const [id, pr] of r.progress) {
      out[id] = { match: pr.match, next: pr.next, state: pr.state, recentActive: pr.recentActive, learner: r.conf.learners.has(id) };
    }
    return out;
  }

  /** Entries in [lo, hi) of this node's log (stable and unstable), for inspection. */
  entries(lo: number, hi: number): Entry[] {
    return this.raft.log.slice(lo, hi);
  }
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.state === b.state;
}
