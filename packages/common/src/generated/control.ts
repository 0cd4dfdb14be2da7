import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ControlClient as _shoal_v1_ControlClient, ControlDefinition as _shoal_v1_ControlDefinition } from './shoal/v1/Control.js';
import type { CreateNetworkRequest as _shoal_v1_CreateNetworkRequest, CreateNetworkRequest__Output as _shoal_v1_CreateNetworkRequest__Output } from './shoal/v1/CreateNetworkRequest.js';
import type { CreateServiceRequest as _shoal_v1_CreateServiceRequest, CreateServiceRequest__Output as _shoal_v1_CreateServiceRequest__Output } from './shoal/v1/CreateServiceRequest.js';
import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from './shoal/v1/Empty.js';
import type { GetRequest as _shoal_v1_GetRequest, GetRequest__Output as _shoal_v1_GetRequest__Output } from './shoal/v1/GetRequest.js';
import type { JoinTokensReply as _shoal_v1_JoinTokensReply, JoinTokensReply__Output as _shoal_v1_JoinTokensReply__Output } from './shoal/v1/JoinTokensReply.js';
import type { JoinTokensRequest as _shoal_v1_JoinTokensRequest, JoinTokensRequest__Output as _shoal_v1_JoinTokensRequest__Output } from './shoal/v1/JoinTokensRequest.js';
import type { ListReply as _shoal_v1_ListReply, ListReply__Output as _shoal_v1_ListReply__Output } from './shoal/v1/ListReply.js';
import type { ListRequest as _shoal_v1_ListRequest, ListRequest__Output as _shoal_v1_ListRequest__Output } from './shoal/v1/ListRequest.js';
import type { ObjectReply as _shoal_v1_ObjectReply, ObjectReply__Output as _shoal_v1_ObjectReply__Output } from './shoal/v1/ObjectReply.js';
import type { RemoveRequest as _shoal_v1_RemoveRequest, RemoveRequest__Output as _shoal_v1_RemoveRequest__Output } from './shoal/v1/RemoveRequest.js';
import type { UpdateClusterRequest as _shoal_v1_UpdateClusterRequest, UpdateClusterRequest__Output as _shoal_v1_UpdateClusterRequest__Output } from './shoal/v1/UpdateClusterRequest.js';
import type { UpdateNodeRequest as _shoal_v1_UpdateNodeRequest, UpdateNodeRequest__Output as _shoal_v1_UpdateNodeRequest__Output } from './shoal/v1/UpdateNodeRequest.js';
import type { UpdateServiceRequest as _shoal_v1_UpdateServiceRequest, UpdateServiceRequest__Output as _shoal_v1_UpdateServiceRequest__Output } from './shoal/v1/UpdateServiceRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Control: SubtypeConstructor<typeof grpc.Client, _shoal_v1_ControlClient> & { service: _shoal_v1_ControlDefinition }
      CreateNetworkRequest: MessageTypeDefinition<_shoal_v1_CreateNetworkRequest, _shoal_v1_CreateNetworkRequest__Output>
      CreateServiceRequest: MessageTypeDefinition<_shoal_v1_CreateServiceRequest, _shoal_v1_CreateServiceRequest__Output>
      Empty: MessageTypeDefinition<_shoal_v1_Empty, _shoal_v1_Empty__Output>
      GetRequest: MessageTypeDefinition<_shoal_v1_GetRequest, _shoal_v1_GetRequest__Output>
      JoinTokensReply: MessageTypeDefinition<_shoal_v1_JoinTokensReply, _shoal_v1_JoinTokensReply__Output>
      JoinTokensRequest: MessageTypeDefinition<_shoal_v1_JoinTokensRequest, _shoal_v1_JoinTokensRequest__Output>
      ListReply: MessageTypeDefinition<_shoal_v1_ListReply, _shoal_v1_ListReply__Output>
      ListRequest: MessageTypeDefinition<_shoal_v1_ListRequest, _shoal_v1_ListRequest__Output>
      ObjectReply: MessageTypeDefinition<_shoal_v1_ObjectReply, _shoal_v1_ObjectReply__Output>
      RemoveRequest: MessageTypeDefinition<_shoal_v1_RemoveRequest, _shoal_v1_RemoveRequest__Output>
      UpdateClusterRequest: MessageTypeDefinition<_shoal_v1_UpdateClusterRequest, _shoal_v1_UpdateClusterRequest__Output>
      UpdateNodeRequest: MessageTypeDefinition<_shoal_v1_UpdateNodeRequest, _shoal_v1_UpdateNodeRequest__Output>
      UpdateServiceRequest: MessageTypeDefinition<_shoal_v1_UpdateServiceRequest, _shoal_v1_UpdateServiceRequest__Output>
    }
  }
}

