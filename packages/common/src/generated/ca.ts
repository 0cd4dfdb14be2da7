import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from './shoal/v1/Empty.js';
import type { IssueNodeCertificateReply as _shoal_v1_IssueNodeCertificateReply, IssueNodeCertificateReply__Output as _shoal_v1_IssueNodeCertificateReply__Output } from './shoal/v1/IssueNodeCertificateReply.js';
import type { IssueNodeCertificateRequest as _shoal_v1_IssueNodeCertificateRequest, IssueNodeCertificateRequest__Output as _shoal_v1_IssueNodeCertificateRequest__Output } from './shoal/v1/IssueNodeCertificateRequest.js';
import type { ListReply as _shoal_v1_ListReply, ListReply__Output as _shoal_v1_ListReply__Output } from './shoal/v1/ListReply.js';
import type { NodeCAClient as _shoal_v1_NodeCAClient, NodeCADefinition as _shoal_v1_NodeCADefinition } from './shoal/v1/NodeCA.js';
import type { ObjectReply as _shoal_v1_ObjectReply, ObjectReply__Output as _shoal_v1_ObjectReply__Output } from './shoal/v1/ObjectReply.js';
import type { RenewNodeCertificateRequest as _shoal_v1_RenewNodeCertificateRequest, RenewNodeCertificateRequest__Output as _shoal_v1_RenewNodeCertificateRequest__Output } from './shoal/v1/RenewNodeCertificateRequest.js';
import type { RootCACertificateReply as _shoal_v1_RootCACertificateReply, RootCACertificateReply__Output as _shoal_v1_RootCACertificateReply__Output } from './shoal/v1/RootCACertificateReply.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Empty: MessageTypeDefinition<_shoal_v1_Empty, _shoal_v1_Empty__Output>
      IssueNodeCertificateReply: MessageTypeDefinition<_shoal_v1_IssueNodeCertificateReply, _shoal_v1_IssueNodeCertificateReply__Output>
      IssueNodeCertificateRequest: MessageTypeDefinition<_shoal_v1_IssueNodeCertificateRequest, _shoal_v1_IssueNodeCertificateRequest__Output>
      ListReply: MessageTypeDefinition<_shoal_v1_ListReply, _shoal_v1_ListReply__Output>
      NodeCA: SubtypeConstructor<typeof grpc.Client, _shoal_v1_NodeCAClient> & { service: _shoal_v1_NodeCADefinition }
      ObjectReply: MessageTypeDefinition<_shoal_v1_ObjectReply, _shoal_v1_ObjectReply__Output>
      RenewNodeCertificateRequest: MessageTypeDefinition<_shoal_v1_RenewNodeCertificateRequest, _shoal_v1_RenewNodeCertificateRequest__Output>
      RootCACertificateReply: MessageTypeDefinition<_shoal_v1_RootCACertificateReply, _shoal_v1_RootCACertificateReply__Output>
    }
  }
}

