/**
 * The safety checks run during a run: at most one leader per term, one committed log, one kv
 * state per applied index, and no acknowledged put ever lost by a later leader.
 */
import type { Entry, NodeId } from '@shoal/raft';
import { decodeCommand } from './kv.js';
import type { SimNode } from './driver.js';
import type { World } from './world.js';

interface AckedWrite {
  clientId: number;
  seq: number;
  index: number;
}

/** An entry's identity; an empty entry's data is '' or no bytes, depending on where it was read. */
function entryKey(e: Entry): string {
  const data = typeof e.data === 'string' ? e.data : e.data.length === 0 ? '' : `bytes:${e.data.length}`;
  return `${e.term}|${e.type}|${data}`;
}

export class Invariants {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly committedLog = new Map<number, string>();
  private readonly kvHashAt = new Map<number, string>();
  /** The index at which each `clientId:seq` put was first applied by any node. */
  private readonly firstCommit = new Map<string, number>();
  private readonly acked: AckedWrite[] = [];
  private readonly ackCheckedByTerm = new Map<number, number>();

  constructor(private readonly sim: World) {}

  get leadersElected(): number {
    return this.leaderOfTerm.size;
  }

  noteApplied(key: string, index: number): void {
    if (!this.firstCommit.has(key)) this.firstCommit.set(key, index);
  }

  firstCommitOf(key: string): number | undefined {
    return this.firstCommit.get(key);
  }

  noteAcked(a: AckedWrite): void {
    this.acked.push(a);
  }

  noteLeader(id: NodeId, term: number): void {
    const prev = this.leaderOfTerm.get(term);
    if (prev === undefined) {
      this.leaderOfTerm.set(term, id);
      this.sim.trace(`leader ${id} term ${term}`);
    } else if (prev !== id) this.sim.fail(`two leaders in term ${term}: ${prev} and ${id}`);
  }

  /** The committed log is one: an index committed anywhere holds the same entry everywhere. */
  checkCommitted(n: SimNode, e: Entry): void {
    const k = entryKey(e);
    const prev = this.committedLog.get(e.index);
    if (prev === undefined) this.committedLog.set(e.index, k);
    else if (prev !== k) this.sim.fail(`committed entry ${e.index} differs: node ${n.id} has ${k}, committed was ${prev}`);
  }

  checkKvAt(n: SimNode, index: number): void {
    const h = n.kv.hash();
    const prev = this.kvHashAt.get(index);
    if (prev === undefined) this.kvHashAt.set(index, h);
    else if (prev !== h) this.sim.fail(`kv state of node ${n.id} at applied ${index} differs: ${h} vs ${prev}`);
  }

  /** Run after every event. */
  checkAll(): void {
    for (const n of this.sim.nodes.values()) {
      if (!n.up || !n.host || !n.storage) continue;
      const s = n.host.status();
      const role = `${s.state} term ${s.term} lead ${s.lead}`;
      if (role !== n.role) {
        n.role = role;
        this.sim.trace(`node ${n.id} ${role}`);
      }
      if (s.state === 'leader') this.noteLeader(n.id, s.term);
      // The committed prefix the node has persisted (its core may be ahead, in memory).
      const commit = n.storage.initialState().commit;
      this.checkLog(n, commit);
      if (s.state === 'leader') this.checkAcked(n, s.term, commit);
    }
  }

  /** The node's stored entries up to its stored commit index agree with the committed log. */
  private checkLog(n: SimNode, commit: number): void {
    const st = n.storage!;
    const hi = Math.min(commit, st.lastIndex());
    if (hi <= n.checkedCommit) return;
    const lo = Math.max(n.checkedCommit + 1, st.firstIndex());
    if (lo <= hi) for (const e of st.entries(lo, hi + 1)) this.checkCommitted(n, e);
    n.checkedCommit = hi;
  }

  /** Every acknowledged put is in the log (or snapshot) of each leader that has committed its index. */
  private checkAcked(n: SimNode, term: number, commit: number): void {
    const st = n.storage!;
    let i = this.ackCheckedByTerm.get(term) ?? 0;
    while (i < this.acked.length) {
      const a = this.acked[i]!;
      if (a.index > commit || a.index > st.lastIndex()) break;
      if (a.index >= st.firstIndex()) {
        const [e] = st.entries(a.index, a.index + 1);
        const cmd = e && decodeCommand(e.data);
        if (!cmd || cmd.clientId !== a.clientId || cmd.seq !== a.seq) {
          this.sim.fail(`acknowledged put ${a.clientId}:${a.seq} at index ${a.index} lost: leader ${n.id} of term ${term} has ${e ? entryKey(e) : 'nothing'} there`);
        }
      } else if (n.kv.applied >= a.index) {
        if (n.kv.seqOf(a.clientId) < a.seq) this.sim.fail(`acknowledged put ${a.clientId}:${a.seq} (index ${a.index}) missing from leader ${n.id}'s snapshot`);
      } else break;
      i++;
    }
    this.ackCheckedByTerm.set(term, i);
  }
}
