import type * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, resourceExhausted, ShoalError } from '@shoal/common';
import { toServiceError, unaryHandler, type Empty, type RaftChunk__Output, type RaftHandlers, type RaftJoinReply, type RaftJoinRequest__Output, type RaftLeaveRequest__Output } from '@shoal/common/rpc';
import type { Message } from '@shoal/raft';
import { peerIdentity, type CallWithAuthContext } from '../../ca/io/peer-identity.js';
import { decodeMessage } from '../wire-codec.js';
import type { Member } from '../members.js';
import { ChunkAssembler, ReceiveBudget } from '../chunk-assembler.js';
import { DEFAULT_RAFT_LIMITS, type RaftLimits } from '../limits.js';

export interface RaftServiceOptions {
  /** A message from a peer manager. */
  deliver: (m: Message) => void;
  /** The node that holds a Raft ID in the group, as this manager knows it (undefined: not known yet). */
  nodeOfRaftId?: (raftId: number) => string | undefined;
  /** The caller (node ID) joins the Raft group; resolves with its Raft ID once it is a learner. */
  join: (nodeId: string, addr: string) => Promise<{ raftId: number; members: Member[] }>;
  leave: (nodeId: string) => Promise<void>;
  /** Who is calling; by default the node named by the caller's verified manager certificate. */
  identify?: (call: CallWithAuthContext) => string;
  limits?: Pick<RaftLimits, 'maxMessageBytes' | 'maxReceiveBufferBytes'>;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/** Managers only: the caller's verified certificate must say swarm-manager. */
function managerIdentity(call: CallWithAuthContext): string {
  const who = peerIdentity(call);
  if (who.role !== 'manager') throw new ShoalError(ERROR_CODES.PERMISSION_DENIED, `node ${who.nodeId} is not a manager`);
  return who.nodeId;
}

/** The Raft service on the node-to-node port: message streams from peers, join and leave. */
export function raftHandlers(o: RaftServiceOptions): RaftHandlers {
  const identify = o.identify ?? managerIdentity;
  const limits = o.limits ?? DEFAULT_RAFT_LIMITS;
  const budget = new ReceiveBudget(limits.maxReceiveBufferBytes);
  const log = o.log ?? (() => {});
  return {
    Stream: (call: grpc.ServerReadableStream<RaftChunk__Output, Empty>, callback: grpc.sendUnaryData<Empty>) => {
      let peer: string;
      try {
        peer = identify(call);
      } catch (e) {
        callback(toServiceError(e));
        return;
      }
      receiveStream(call, callback, { peer, deliver: o.deliver, nodeOfRaftId: o.nodeOfRaftId ?? (() => peer), assembler: new ChunkAssembler(limits.maxMessageBytes, budget), log });
    },
    Join: unaryHandler<RaftJoinRequest__Output, RaftJoinReply>(async (req, call) => {
      const nodeId = identify(call);
      const { raftId, members } = await o.join(nodeId, req.addr);
      return { raftId: String(raftId), membersJson: JSON.stringify(members) };
    }),
    Leave: unaryHandler<RaftLeaveRequest__Output, Empty>(async (req, call) => {
      identify(call);
      await o.leave(req.nodeId);
      return {};
    }),
  };
}

/**
 * Reads one peer's stream of chunks, handing each whole message to `deliver`. A stream that would
 * make this manager hold too much is cut with RESOURCE_EXHAUSTED and a log line naming the peer;
 * the peer's transport reconnects, and Raft resends what matters.
 */
function receiveStream(
  call: grpc.ServerReadableStream<RaftChunk__Output, Empty>,
  callback: grpc.sendUnaryData<Empty>,
  s: StreamContext,
): void {
  let done = false;
  const finish = (error?: ShoalError) => {
    if (done) return;
    done = true;
    s.assembler.release();
    callback(error ? toServiceError(error) : null, error ? undefined : {});
  };
  call.on('data', (c: RaftChunk__Output) => {
    if (done) return;
    const r = s.assembler.push(c.payload, Buffer.byteLength(c.payload), c.more);
    if (r.kind === 'message') {
      const spoofed = deliverDecoded(r.json, s);
      if (!spoofed) return;
      s.log('raft stream from a peer cut', { peer: s.peer, reason: spoofed });
      finish(new ShoalError(ERROR_CODES.PERMISSION_DENIED, `raft stream from node ${s.peer} cut: ${spoofed}`));
      return;
    }
    if (r.kind !== 'refused') return;
    s.log('raft stream from a peer cut', { peer: s.peer, reason: r.reason });
    finish(resourceExhausted(`raft stream from node ${s.peer} cut: ${r.reason}`));
  });
  call.on('end', () => finish());
  call.on('close', () => finish());
  call.on('error', () => finish());
}

interface StreamContext {
  peer: string;
  deliver: (m: Message) => void;
  nodeOfRaftId: (raftId: number) => string | undefined;
  assembler: ChunkAssembler;
  log: NonNullable<RaftServiceOptions['log']>;
}

/**
 * Hands a well-formed message to Raft. Malformed ones, proposals, and messages from a Raft ID this
 * manager does not know yet are dropped (Raft tolerates loss); a message that claims the Raft ID
 * of another node is spoofed: the reason is returned, and the stream is cut.
 */
function deliverDecoded(json: string, s: StreamContext): string | undefined {
  let m: Message;
  try {
    m = decodeMessage(json);
  } catch {
    return undefined;
  }
  // Managers never forward proposals (only the leader proposes): one from a peer is refused,
  // so a peer cannot grow the leader's log outside the bounds its own callers have.
  if (m.type === 'MsgProp') return undefined;
  const sender = s.nodeOfRaftId(m.from);
  if (sender === undefined) return undefined;
  if (sender !== s.peer) return `a message signed as raft member ${m.from} (node ${sender})`;
  s.deliver(m);
  return undefined;
}
