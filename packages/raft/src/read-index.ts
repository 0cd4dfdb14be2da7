import { quorum } from './progress.js';
import { broadcastHeartbeat, type ReplicationHost } from './replication.js';
import { message, NONE, type Message, type NodeId, type ReadState, type StateRole } from './types.js';

/**
 * Read requests a leader holds at most, deferred or awaiting confirmation. Followers forward their
 * callers' reads, so a peer could otherwise grow the leader's queue without end; past the bound a
 * request is dropped, and its reader times out as it would after a lost message.
 */
export const MAX_PENDING_READS = 65_536;

/** A read request the leader is confirming: who asked, under which context, at which commit index. */
export interface PendingRead {
  from: NodeId;
  requestCtx: string;
  index: number;
  /** Voters (including the leader) that answered a heartbeat carrying this request's key. */
  acks: Set<NodeId>;
}

/**
 * The leader's ReadIndex requests awaiting a heartbeat round (etcd-io/raft's readOnly). Each is
 * keyed by `from` and `requestCtx`; the key rides on heartbeats and comes back in their responses.
 * A quorum of acks for one request also confirms every request queued before it.
 */
export class ReadOnly {
  private readonly pending = new Map<string, PendingRead>();
  private queue: string[] = [];

  static key(from: NodeId, requestCtx: string): string {
    return `${from}/${requestCtx}`;
  }

  /** Queues a request (a duplicate key is ignored) and returns its key. */
  add(from: NodeId, requestCtx: string, index: number, self: NodeId): string {
    const key = ReadOnly.key(from, requestCtx);
    if (!this.pending.has(key)) {
      this.pending.set(key, { from, requestCtx, index, acks: new Set([self]) });
      this.queue.push(key);
    }
    return key;
  }

  /** Records a heartbeat ack for `key`; returns how many of `voters` have acked it (0 if unknown). */
  ack(from: NodeId, key: string, voters: ReadonlySet<NodeId>): number {
    const read = this.pending.get(key);
    if (read === undefined) return 0;
    read.acks.add(from);
    let n = 0;
    for (const id of read.acks) if (voters.has(id)) n++;
    return n;
  }

  /** Removes and returns every request up to and including `key`, oldest first. */
  release(key: string): PendingRead[] {
    const at = this.queue.indexOf(key);
    if (at < 0) return [];
    const keys = this.queue.slice(0, at + 1);
    this.queue = this.queue.slice(at + 1);
    const out: PendingRead[] = [];
    for (const k of keys) {
      const read = this.pending.get(k);
      this.pending.delete(k);
      if (read !== undefined) out.push(read);
    }
    return out;
  }

  get size(): number {
    return this.pending.size;
  }

  /** The newest request's key, which periodic heartbeats carry so a lost round is retried. */
  lastKey(): string {
    return this.queue.at(-1) ?? '';
  }
}

/** The part of a Raft node the ReadIndex protocol uses. */
export interface ReadIndexHost extends ReplicationHost {
  readonly state: StateRole;
  readonly lead: NodeId;
  readonly readStates: ReadState[];
}

/**
 * Linearizable reads (Raft thesis §6.4). A read request, local or forwarded by a follower, makes
 * the leader record its commit index and confirm it still leads with a heartbeat round to a
 * quorum; then the request is answered with that index. Until an entry of its own term is
 * committed a new leader does not know the latest commit index, so it defers requests until then.
 * A new instance is made whenever the node's role or term changes; pending requests are dropped.
 */
export class ReadIndex {
  private readonly queue = new ReadOnly();
  private deferred: Message[] = [];

  constructor(private readonly r: ReadIndexHost) {}

  /** Handles MsgReadIndex. Returns false when it is dropped (no known leader). */
  step(m: Message): boolean {
    const r = this.r;
    if (r.state !== 'leader') {
      if (r.state !== 'follower' || r.lead === NONE) return false;
      r.send({ ...m, from: r.id, to: r.lead, term: 0 });
      return true;
    }
    if (this.queue.size + this.deferred.length >= MAX_PENDING_READS) return false;
    if (r.log.term(r.log.committed) !== r.term) {
      this.deferred.push(m);
      return true;
    }
    if (r.conf.voters.size === 1 && r.conf.isVoter(r.id)) {
      this.answer(m.from, m.context, r.log.committed);
      return true;
    }
    broadcastHeartbeat(r, this.queue.add(m.from, m.context, r.log.committed, r.id));
    return true;
  }

  /** The leader's commit index moved: release deferred requests once it is of the leader's term. */
  committed(): void {
    const r = this.r;
    if (r.log.term(r.log.committed) !== r.term || this.deferred.length === 0) return;
    const reads = this.deferred;
    this.deferred = [];
    for (const m of reads) this.step(m);
  }

  /** A heartbeat response carried `key`: answer every request it confirms. */
  heartbeatAck(from: NodeId, key: string): void {
    const voters = this.r.conf.voters;
    if (this.queue.ack(from, key, voters) < quorum(voters.size)) return;
    for (const read of this.queue.release(key)) this.answer(read.from, read.requestCtx, read.index);
  }

  /** The context periodic heartbeats carry, so that a lost confirmation round is retried. */
  heartbeatContext(): string {
    return this.queue.lastKey();
  }

  private answer(to: NodeId, requestCtx: string, index: number): void {
    const r = this.r;
    if (to === r.id) r.readStates.push({ index, requestCtx });
    else r.send(message({ type: 'MsgReadIndexResp', from: r.id, to, term: r.term, index, context: requestCtx }));
  }
}
