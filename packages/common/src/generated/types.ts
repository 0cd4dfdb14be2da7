import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from './shoal/v1/Empty.js';
import type { ListReply as _shoal_v1_ListReply, ListReply__Output as _shoal_v1_ListReply__Output } from './shoal/v1/ListReply.js';
import type { ObjectReply as _shoal_v1_ObjectReply, ObjectReply__Output as _shoal_v1_ObjectReply__Output } from './shoal/v1/ObjectReply.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Empty: MessageTypeDefinition<_shoal_v1_Empty, _shoal_v1_Empty__Output>
      ListReply: MessageTypeDefinition<_shoal_v1_ListReply, _shoal_v1_ListReply__Output>
      ObjectReply: MessageTypeDefinition<_shoal_v1_ObjectReply, _shoal_v1_ObjectReply__Output>
    }
  }
}

