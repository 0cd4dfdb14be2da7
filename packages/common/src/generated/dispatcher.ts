import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { DispatcherClient as _shoal_v1_DispatcherClient, DispatcherDefinition as _shoal_v1_DispatcherDefinition } from './shoal/v1/Dispatcher.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      AssignmentsMessage: MessageTypeDefinition
      AssignmentsRequest: MessageTypeDefinition
      Dispatcher: SubtypeConstructor<typeof grpc.Client, _shoal_v1_DispatcherClient> & { service: _shoal_v1_DispatcherDefinition }
      Empty: MessageTypeDefinition
      HeartbeatReply: MessageTypeDefinition
      HeartbeatRequest: MessageTypeDefinition
      ListReply: MessageTypeDefinition
      NodeDescription: MessageTypeDefinition
      ObjectReply: MessageTypeDefinition
      Platform: MessageTypeDefinition
      Resources: MessageTypeDefinition
      SessionMessage: MessageTypeDefinition
      SessionRequest: MessageTypeDefinition
      TaskStatus: MessageTypeDefinition
      TaskStatusUpdate: MessageTypeDefinition
      UpdateTaskStatusRequest: MessageTypeDefinition
    }
  }
}

