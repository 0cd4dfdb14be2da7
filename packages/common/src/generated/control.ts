import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ControlClient as _shoal_v1_ControlClient, ControlDefinition as _shoal_v1_ControlDefinition } from './shoal/v1/Control.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Control: SubtypeConstructor<typeof grpc.Client, _shoal_v1_ControlClient> & { service: _shoal_v1_ControlDefinition }
      CreateServiceRequest: MessageTypeDefinition
      Empty: MessageTypeDefinition
      GetRequest: MessageTypeDefinition
      JoinTokensReply: MessageTypeDefinition
      JoinTokensRequest: MessageTypeDefinition
      ListReply: MessageTypeDefinition
      ListRequest: MessageTypeDefinition
      ObjectReply: MessageTypeDefinition
      RemoveRequest: MessageTypeDefinition
      UpdateClusterRequest: MessageTypeDefinition
      UpdateNodeRequest: MessageTypeDefinition
      UpdateServiceRequest: MessageTypeDefinition
    }
  }
}

