import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { NodeCAClient as _shoal_v1_NodeCAClient, NodeCADefinition as _shoal_v1_NodeCADefinition } from './shoal/v1/NodeCA.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Empty: MessageTypeDefinition
      IssueNodeCertificateReply: MessageTypeDefinition
      IssueNodeCertificateRequest: MessageTypeDefinition
      ListReply: MessageTypeDefinition
      NodeCA: SubtypeConstructor<typeof grpc.Client, _shoal_v1_NodeCAClient> & { service: _shoal_v1_NodeCADefinition }
      ObjectReply: MessageTypeDefinition
      RenewNodeCertificateRequest: MessageTypeDefinition
      RootCACertificateReply: MessageTypeDefinition
    }
  }
}

