import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { SwarmClient as _shoal_v1_SwarmClient, SwarmDefinition as _shoal_v1_SwarmDefinition } from './shoal/v1/Swarm.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Empty: MessageTypeDefinition
      InfoReply: MessageTypeDefinition
      InitReply: MessageTypeDefinition
      InitRequest: MessageTypeDefinition
      JoinRequest: MessageTypeDefinition
      LeaveRequest: MessageTypeDefinition
      ListReply: MessageTypeDefinition
      ObjectReply: MessageTypeDefinition
      Swarm: SubtypeConstructor<typeof grpc.Client, _shoal_v1_SwarmClient> & { service: _shoal_v1_SwarmDefinition }
    }
  }
}

