import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { RaftClient as _shoal_v1_RaftClient, RaftDefinition as _shoal_v1_RaftDefinition } from './shoal/v1/Raft.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Empty: MessageTypeDefinition
      ListReply: MessageTypeDefinition
      ObjectReply: MessageTypeDefinition
      Raft: SubtypeConstructor<typeof grpc.Client, _shoal_v1_RaftClient> & { service: _shoal_v1_RaftDefinition }
      RaftChunk: MessageTypeDefinition
      RaftJoinReply: MessageTypeDefinition
      RaftJoinRequest: MessageTypeDefinition
      RaftLeaveRequest: MessageTypeDefinition
    }
  }
}

