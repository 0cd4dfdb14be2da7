import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from './shoal/v1/Empty.js';
import type { InfoReply as _shoal_v1_InfoReply, InfoReply__Output as _shoal_v1_InfoReply__Output } from './shoal/v1/InfoReply.js';
import type { InitReply as _shoal_v1_InitReply, InitReply__Output as _shoal_v1_InitReply__Output } from './shoal/v1/InitReply.js';
import type { InitRequest as _shoal_v1_InitRequest, InitRequest__Output as _shoal_v1_InitRequest__Output } from './shoal/v1/InitRequest.js';
import type { JoinRequest as _shoal_v1_JoinRequest, JoinRequest__Output as _shoal_v1_JoinRequest__Output } from './shoal/v1/JoinRequest.js';
import type { LeaveRequest as _shoal_v1_LeaveRequest, LeaveRequest__Output as _shoal_v1_LeaveRequest__Output } from './shoal/v1/LeaveRequest.js';
import type { ListReply as _shoal_v1_ListReply, ListReply__Output as _shoal_v1_ListReply__Output } from './shoal/v1/ListReply.js';
import type { ObjectReply as _shoal_v1_ObjectReply, ObjectReply__Output as _shoal_v1_ObjectReply__Output } from './shoal/v1/ObjectReply.js';
import type { SwarmClient as _shoal_v1_SwarmClient, SwarmDefinition as _shoal_v1_SwarmDefinition } from './shoal/v1/Swarm.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Empty: MessageTypeDefinition<_shoal_v1_Empty, _shoal_v1_Empty__Output>
      InfoReply: MessageTypeDefinition<_shoal_v1_InfoReply, _shoal_v1_InfoReply__Output>
      InitReply: MessageTypeDefinition<_shoal_v1_InitReply, _shoal_v1_InitReply__Output>
      InitRequest: MessageTypeDefinition<_shoal_v1_InitRequest, _shoal_v1_InitRequest__Output>
      JoinRequest: MessageTypeDefinition<_shoal_v1_JoinRequest, _shoal_v1_JoinRequest__Output>
      LeaveRequest: MessageTypeDefinition<_shoal_v1_LeaveRequest, _shoal_v1_LeaveRequest__Output>
      ListReply: MessageTypeDefinition<_shoal_v1_ListReply, _shoal_v1_ListReply__Output>
      ObjectReply: MessageTypeDefinition<_shoal_v1_ObjectReply, _shoal_v1_ObjectReply__Output>
      Swarm: SubtypeConstructor<typeof grpc.Client, _shoal_v1_SwarmClient> & { service: _shoal_v1_SwarmDefinition }
    }
  }
}

