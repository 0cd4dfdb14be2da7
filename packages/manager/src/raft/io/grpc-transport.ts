import * as grpc from '@grpc/grpc-js';
import { CLUSTER_CHANNEL_OPTIONS, loadProtos } from '@shoal/common/rpc';
import type { Clock } from '@shoal/common';
import type { Message, NodeId } from '@shoal/raft';
import type { Member } from '../members.js';
import type { RaftTransport } from '../raft-host.js';
import { chunk, encodeMessage } from '../wire-codec.js';
import { DEFAULT_RAFT_LIMITS, type RaftLimits } from '../limits.js';
import { SendQueue } from '../send-queue.js';

export interface GrpcTransportOptions {
  selfId: NodeId;
  clock: Clock;
  /** The node's client credentials (its certificate), read at each (re)connection. */
  credentials: () => grpc.ChannelCredentials;
  /**
   * A peer's stream failed: Raft slows down to probing it. `refused`: the peer's address could
   * not even be connected to (nothing listens there: its process is gone).
   */
  onUnreachable: (raftId: NodeId, refused: boolean) => void;
  /** A snapshot to this peer was written out (true) or lost with its stream (false). */
  onSnapshotSent: (raftId: NodeId, ok: boolean) => void;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  limits?: Pick<RaftLimits, 'maxMessageBytes' | 'maxPeerQueueBytes'>;
}

const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 1_000;

/**
 * Raft messages to the other managers: one client stream per peer over mutual TLS, each with its
 * own queue, so a dead or paused peer never holds up the others. A failed stream is reopened
 * with exponential backoff; what was in flight is lost, and Raft resends what matters.
 */
export class GrpcTransport implements RaftTransport {
  private readonly peers = new Map<NodeId, PeerStream>();
  private readonly heard = new Map<NodeId, number>();

  constructor(private readonly o: GrpcTransportOptions) {}

  /** This manager's own Raft ID, known once it has bootstrapped or joined. */
  setSelfId(raftId: NodeId): void {
    this.o.selfId = raftId;
  }

  send(messages: readonly Message[]): void {
    for (const m of messages) this.peers.get(m.to)?.enqueue(m);
  }

  setMembers(members: readonly Member[]): void {
    const wanted = new Map(members.filter((m) => m.raftId !== this.o.selfId && m.addr !== '').map((m) => [m.raftId, m.addr]));
    for (const [id, peer] of this.peers) {
      if (wanted.get(id) !== peer.addr) {
        peer.close();
        this.peers.delete(id);
        this.heard.delete(id);
      }
    }
    for (const [id, addr] of wanted) if (!this.peers.has(id)) this.peers.set(id, new PeerStream(id, addr, this.o));
  }

  /** Called by the Raft service for every message received (only members are remembered). */
  received(from: NodeId): void {
    if (!this.peers.has(from)) return;
    this.heard.set(from, this.o.clock.now());
  }

  /** Undefined while our stream to the peer is down (a killed peer refuses connections at once). */
  lastHeard(raftId: NodeId): number | undefined {
    if (this.peers.get(raftId)?.connected === false) return undefined;
    return this.heard.get(raftId);
  }

  close(): void {
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
  }
}

class PeerStream {
  private readonly queue: SendQueue;
  /** Set while the queue is full, so that one log line tells of a run of dropped messages. */
  private dropping = false;
  private snapshotsInFlight = 0;
  private client: grpc.Client | undefined;
  private stream: grpc.ClientWritableStream<unknown> | undefined;
  private waitingForDrain = false;
  private backoffMs = BACKOFF_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private openedAt = 0;

  constructor(
    readonly raftId: NodeId,
    readonly addr: string,
    private readonly o: GrpcTransportOptions,
  ) {
    const limits = o.limits ?? DEFAULT_RAFT_LIMITS;
    this.queue = new SendQueue({ maxMessageBytes: limits.maxMessageBytes, maxQueueBytes: limits.maxPeerQueueBytes });
  }

  get connected(): boolean {
    return this.stream !== undefined;
  }

  enqueue(m: Message): void {
    const snapshot = m.type === 'MsgSnap';
    if (this.closed) {
      if (snapshot) this.o.onSnapshotSent(this.raftId, false);
      return;
    }
    const encoded = encodeMessage(m);
    const bytes = Buffer.byteLength(encoded);
    const outcome = this.queue.push({ encoded, bytes, snapshot });
    if (outcome !== 'queued') {
      this.dropped(m, outcome, bytes);
      return;
    }
    this.dropping = false;
    if (!this.stream && !this.reconnectTimer) this.open();
    this.flush();
  }

  private dropped(m: Message, why: 'full' | 'too-large', bytes: number): void {
    if (m.type === 'MsgSnap') this.o.onSnapshotSent(this.raftId, false);
    if (why === 'too-large') {
      const max = this.o.limits?.maxMessageBytes ?? DEFAULT_RAFT_LIMITS.maxMessageBytes;
      this.o.log('raft message to a peer dropped: larger than the maximum Raft message size (raise --raft-max-message-size on every manager)', { raftId: this.raftId, type: m.type, bytes, max });
      return;
    }
    if (this.dropping) return;
    this.dropping = true;
    this.o.log('raft send queue to a peer is full: dropping messages until it drains', { raftId: this.raftId, addr: this.addr, queuedBytes: this.queue.bytes });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.stream?.end();
    this.client?.close();
  }

  private open(): void {
    const Raft = loadProtos().Raft;
    // No retries (Raft resends what matters; grpc-js would otherwise keep a copy of every message
    // written until the stream commits) and no channelz (nothing reads it).
    this.client ??= new Raft(this.addr, this.o.credentials(), { ...CLUSTER_CHANNEL_OPTIONS, 'grpc.keepalive_time_ms': 5_000, 'grpc.keepalive_timeout_ms': 3_000, 'grpc.enable_retries': 0, 'grpc.enable_channelz': 0 });
    const client = this.client as unknown as { Stream(cb: (err: grpc.ServiceError | null) => void): grpc.ClientWritableStream<unknown> };
    const stream = client.Stream((err) => this.failed(stream, err));
    stream.on('error', () => {});
    this.stream = stream;
    this.openedAt = Date.now();
    this.waitingForDrain = false;
  }

  private flush(): void {
    const stream = this.stream;
    while (stream && !this.waitingForDrain && this.queue.length > 0) {
      const { encoded, snapshot } = this.queue.shift()!;
      const parts = chunk(encoded);
      let ok = true;
      parts.forEach((payload, i) => {
        const last = i === parts.length - 1;
        ok = stream.write({ payload, more: !last }, last && snapshot ? () => this.snapshotWritten() : undefined);
      });
      if (snapshot) this.snapshotsInFlight++;
      if (!ok) {
        this.waitingForDrain = true;
        stream.once('drain', () => {
          this.waitingForDrain = false;
          this.flush();
        });
      }
    }
  }

  private snapshotWritten(): void {
    if (this.snapshotsInFlight === 0) return;
    this.snapshotsInFlight--;
    this.o.onSnapshotSent(this.raftId, true);
  }

  private failed(stream: grpc.ClientWritableStream<unknown>, err: grpc.ServiceError | null): void {
    if (this.stream !== stream || this.closed) return;
    this.stream = undefined;
    const lostSnapshots = this.snapshotsInFlight + this.queue.clear();
    this.snapshotsInFlight = 0;
    for (let i = 0; i < lostSnapshots; i++) this.o.onSnapshotSent(this.raftId, false);
    if (err) this.o.log('raft peer unreachable', { raftId: this.raftId, addr: this.addr, error: err.details || err.message });
    this.o.onUnreachable(this.raftId, this.client?.getChannel().getConnectivityState(false) === grpc.connectivityState.TRANSIENT_FAILURE);
    if (Date.now() - this.openedAt > 2_000) this.backoffMs = BACKOFF_MIN_MS; // it had worked: retry soon
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.open();
      this.flush();
    }, this.backoffMs);
    this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs * 2);
  }
}
