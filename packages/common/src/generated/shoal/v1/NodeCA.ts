// Original file: proto/ca.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from '../../shoal/v1/Empty.js';
import type { IssueNodeCertificateReply as _shoal_v1_IssueNodeCertificateReply, IssueNodeCertificateReply__Output as _shoal_v1_IssueNodeCertificateReply__Output } from '../../shoal/v1/IssueNodeCertificateReply.js';
import type { IssueNodeCertificateRequest as _shoal_v1_IssueNodeCertificateRequest, IssueNodeCertificateRequest__Output as _shoal_v1_IssueNodeCertificateRequest__Output } from '../../shoal/v1/IssueNodeCertificateRequest.js';
import type { RenewNodeCertificateRequest as _shoal_v1_RenewNodeCertificateRequest, RenewNodeCertificateRequest__Output as _shoal_v1_RenewNodeCertificateRequest__Output } from '../../shoal/v1/RenewNodeCertificateRequest.js';
import type { RootCACertificateReply as _shoal_v1_RootCACertificateReply, RootCACertificateReply__Output as _shoal_v1_RootCACertificateReply__Output } from '../../shoal/v1/RootCACertificateReply.js';

export interface NodeCAClient extends grpc.Client {
  GetRootCACertificate(argument: _shoal_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RootCACertificateReply__Output>): grpc.ClientUnaryCall;
  GetRootCACertificate(argument: _shoal_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RootCACertificateReply__Output>): grpc.ClientUnaryCall;
  GetRootCACertificate(argument: _shoal_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RootCACertificateReply__Output>): grpc.ClientUnaryCall;
  GetRootCACertificate(argument: _shoal_v1_Empty, callback: grpc.requestCallback<_shoal_v1_RootCACertificateReply__Output>): grpc.ClientUnaryCall;
  getRootCaCertificate(argument: _shoal_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RootCACertificateReply__Output>): grpc.ClientUnaryCall;
  getRootCaCertificate(argument: _shoal_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RootCACertificateReply__Output>): grpc.ClientUnaryCall;
  getRootCaCertificate(argument: _shoal_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RootCACertificateReply__Output>): grpc.ClientUnaryCall;
  getRootCaCertificate(argument: _shoal_v1_Empty, callback: grpc.requestCallback<_shoal_v1_RootCACertificateReply__Output>): grpc.ClientUnaryCall;
  
  IssueNodeCertificate(argument: _shoal_v1_IssueNodeCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  IssueNodeCertificate(argument: _shoal_v1_IssueNodeCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  IssueNodeCertificate(argument: _shoal_v1_IssueNodeCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  IssueNodeCertificate(argument: _shoal_v1_IssueNodeCertificateRequest, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  issueNodeCertificate(argument: _shoal_v1_IssueNodeCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  issueNodeCertificate(argument: _shoal_v1_IssueNodeCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  issueNodeCertificate(argument: _shoal_v1_IssueNodeCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  issueNodeCertificate(argument: _shoal_v1_IssueNodeCertificateRequest, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  
  RenewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  RenewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  RenewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  RenewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  renewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  renewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  renewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  renewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, callback: grpc.requestCallback<_shoal_v1_IssueNodeCertificateReply__Output>): grpc.ClientUnaryCall;
  
}

export interface NodeCAHandlers extends grpc.UntypedServiceImplementation {
  GetRootCACertificate: grpc.handleUnaryCall<_shoal_v1_Empty__Output, _shoal_v1_RootCACertificateReply>;
  
  IssueNodeCertificate: grpc.handleUnaryCall<_shoal_v1_IssueNodeCertificateRequest__Output, _shoal_v1_IssueNodeCertificateReply>;
  
  RenewNodeCertificate: grpc.handleUnaryCall<_shoal_v1_RenewNodeCertificateRequest__Output, _shoal_v1_IssueNodeCertificateReply>;
  
}

export interface NodeCADefinition extends grpc.ServiceDefinition {
  GetRootCACertificate: MethodDefinition<_shoal_v1_Empty, _shoal_v1_RootCACertificateReply, _shoal_v1_Empty__Output, _shoal_v1_RootCACertificateReply__Output>
  IssueNodeCertificate: MethodDefinition<_shoal_v1_IssueNodeCertificateRequest, _shoal_v1_IssueNodeCertificateReply, _shoal_v1_IssueNodeCertificateRequest__Output, _shoal_v1_IssueNodeCertificateReply__Output>
  RenewNodeCertificate: MethodDefinition<_shoal_v1_RenewNodeCertificateRequest, _shoal_v1_IssueNodeCertificateReply, _shoal_v1_RenewNodeCertificateRequest__Output, _shoal_v1_IssueNodeCertificateReply__Output>
}
