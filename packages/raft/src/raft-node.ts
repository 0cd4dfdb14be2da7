import { Raft, type RaftConfig } from './raft.js';
import { message, sameHardState, type Entry, type HardState, type Message, type NodeId, type Ready, type SoftState, type StateRole } from './types.js';

export type RaftNodeConfig = RaftConfig;

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

  /** Delivers a message from another node. Messages addressed elsewhere are programmer errors. */
  step(m: Message): void {
    if (m.to !== this.raft.id) throw new Error(`message to ${m.to} stepped into node ${this.raft.id}`);
    if (m.type === 'MsgProp') throw new Error('proposals go through propose()');
    this.raft.step(m);
  }

  /**
   * Proposes data for the log. Returns false when this node is not the leader (the caller retries
   * on the leader); true means appended locally, not committed: watch `committedEntries`.
   */
  propose(data: Uint8Array | string, type: Entry['type'] = 'normal'): boolean {
    if (this.raft.state !== 'leader') return false;
    const entry: Entry = { term: 0, index: 0, type, data };
    this.raft.step(message({ type: 'MsgProp', from: this.raft.id, to: this.raft.id, entries: [entry] }));
    return true;
  }

  hasReady(): boolean {
    const r = this.raft;
    return (
      r.msgs.length > 0 ||
      r.log.unstableEntries().length > 0 ||
      r.log.committed > r.log.applied ||
      !sameHardState(r.hardState(), this.prevHard) ||
      !sameSoftState(r.softState(), this.prevSoft)
    );
  }

  /** Collects what the driver must do. Call `advance` with it once done. */
  ready(): Ready {
    const r = this.raft;
    const rd: Ready = {
      entries: r.log.unstableEntries(),
      messages: r.msgs,
      committedEntries: r.log.committedToApply(),
    };
    r.msgs = [];
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
    const lastEntry = rd.entries.at(-1);
    if (lastEntry) this.raft.log.stableTo(lastEntry.index, lastEntry.term);
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
    };
  }

  /** Entries in [lo, hi) of this node's log (stable and unstable), for inspection. */
  entries(lo: number, hi: number): Entry[] {
    return this.raft.log.slice(lo, hi);
  }
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.state === b.state;
}
