import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from './shoal/v1/Empty.js';
import type { ListReply as _shoal_v1_ListReply, ListReply__Output as _shoal_v1_ListReply__Output } from './shoal/v1/ListReply.js';
import type { ObjectReply as _shoal_v1_ObjectReply, ObjectReply__Output as _shoal_v1_ObjectReply__Output } from './shoal/v1/ObjectReply.js';
import type { RaftClient as _shoal_v1_RaftClient, RaftDefinition as _shoal_v1_RaftDefinition } from './shoal/v1/Raft.js';
import type { RaftChunk as _shoal_v1_RaftChunk, RaftChunk__Output as _shoal_v1_RaftChunk__Output } from './shoal/v1/RaftChunk.js';
import type { RaftJoinReply as _shoal_v1_RaftJoinReply, RaftJoinReply__Output as _shoal_v1_RaftJoinReply__Output } from './shoal/v1/RaftJoinReply.js';
import type { RaftJoinRequest as _shoal_v1_RaftJoinRequest, RaftJoinRequest__Output as _shoal_v1_RaftJoinRequest__Output } from './shoal/v1/RaftJoinRequest.js';
import type { RaftLeaveRequest as _shoal_v1_RaftLeaveRequest, RaftLeaveRequest__Output as _shoal_v1_RaftLeaveRequest__Output } from './shoal/v1/RaftLeaveRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Empty: MessageTypeDefinition<_shoal_v1_Empty, _shoal_v1_Empty__Output>
      ListReply: MessageTypeDefinition<_shoal_v1_ListReply, _shoal_v1_ListReply__Output>
      ObjectReply: MessageTypeDefinition<_shoal_v1_ObjectReply, _shoal_v1_ObjectReply__Output>
      Raft: SubtypeConstructor<typeof grpc.Client, _shoal_v1_RaftClient> & { service: _shoal_v1_RaftDefinition }
      RaftChunk: MessageTypeDefinition<_shoal_v1_RaftChunk, _shoal_v1_RaftChunk__Output>
      RaftJoinReply: MessageTypeDefinition<_shoal_v1_RaftJoinReply, _shoal_v1_RaftJoinReply__Output>
      RaftJoinRequest: MessageTypeDefinition<_shoal_v1_RaftJoinRequest, _shoal_v1_RaftJoinRequest__Output>
      RaftLeaveRequest: MessageTypeDefinition<_shoal_v1_RaftLeaveRequest, _shoal_v1_RaftLeaveRequest__Output>
    }
  }
}

