import type * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, ShoalError } from '@shoal/common';
import { toServiceError, unaryHandler, type Empty, type RaftChunk__Output, type RaftHandlers, type RaftJoinReply, type RaftJoinRequest__Output, type RaftLeaveRequest__Output } from '@shoal/common/rpc';
import type { Message } from '@shoal/raft';
import { peerIdentity, type CallWithAuthContext } from '../../ca/io/peer-identity.js';
import { decodeMessage } from '../wire-codec.js';
import type { Member } from '../members.js';

export interface RaftServiceOptions {
  /** A message from a peer manager. */
  deliver: (m: Message) => void;
  /** The caller (node ID) joins the Raft group; resolves with its Raft ID once it is a learner. */
  join: (nodeId: string, addr: string) => Promise<{ raftId: number; members: Member[] }>;
  leave: (nodeId: string) => Promise<void>;
  /** Who is calling; by default the node named by the caller's verified manager certificate. */
  identify?: (call: CallWithAuthContext) => string;
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
  return {
    Stream: (call: grpc.ServerReadableStream<RaftChunk__Output, Empty>, callback: grpc.sendUnaryData<Empty>) => {
      try {
        identify(call);
      } catch (e) {
        callback(toServiceError(e));
        return;
      }
      let buffered = '';
      call.on('data', (c: RaftChunk__Output) => {
        buffered += c.payload;
        if (c.more) return;
        const json = buffered;
        buffered = '';
        try {
          o.deliver(decodeMessage(json));
        } catch {
          // A malformed message is dropped; Raft tolerates loss.
        }
      });
      call.on('end', () => callback(null, {}));
      call.on('error', () => {});
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
