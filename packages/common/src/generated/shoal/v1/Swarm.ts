// Original file: proto/swarm.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from '../../shoal/v1/Empty.js';
import type { InfoReply as _shoal_v1_InfoReply, InfoReply__Output as _shoal_v1_InfoReply__Output } from '../../shoal/v1/InfoReply.js';
import type { InitReply as _shoal_v1_InitReply, InitReply__Output as _shoal_v1_InitReply__Output } from '../../shoal/v1/InitReply.js';
import type { InitRequest as _shoal_v1_InitRequest, InitRequest__Output as _shoal_v1_InitRequest__Output } from '../../shoal/v1/InitRequest.js';
import type { JoinRequest as _shoal_v1_JoinRequest, JoinRequest__Output as _shoal_v1_JoinRequest__Output } from '../../shoal/v1/JoinRequest.js';
import type { LeaveRequest as _shoal_v1_LeaveRequest, LeaveRequest__Output as _shoal_v1_LeaveRequest__Output } from '../../shoal/v1/LeaveRequest.js';

export interface SwarmClient extends grpc.Client {
  Info(argument: _shoal_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InfoReply__Output>): grpc.ClientUnaryCall;
  Info(argument: _shoal_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_InfoReply__Output>): grpc.ClientUnaryCall;
  Info(argument: _shoal_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InfoReply__Output>): grpc.ClientUnaryCall;
  Info(argument: _shoal_v1_Empty, callback: grpc.requestCallback<_shoal_v1_InfoReply__Output>): grpc.ClientUnaryCall;
  info(argument: _shoal_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InfoReply__Output>): grpc.ClientUnaryCall;
  info(argument: _shoal_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_InfoReply__Output>): grpc.ClientUnaryCall;
  info(argument: _shoal_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InfoReply__Output>): grpc.ClientUnaryCall;
  info(argument: _shoal_v1_Empty, callback: grpc.requestCallback<_shoal_v1_InfoReply__Output>): grpc.ClientUnaryCall;
  
  Init(argument: _shoal_v1_InitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  Init(argument: _shoal_v1_InitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  Init(argument: _shoal_v1_InitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  Init(argument: _shoal_v1_InitRequest, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  init(argument: _shoal_v1_InitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  init(argument: _shoal_v1_InitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  init(argument: _shoal_v1_InitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  init(argument: _shoal_v1_InitRequest, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  
  Join(argument: _shoal_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_JoinRequest, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_JoinRequest, callback: grpc.requestCallback<_shoal_v1_InitReply__Output>): grpc.ClientUnaryCall;
  
  Leave(argument: _shoal_v1_LeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_v1_LeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_v1_LeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_v1_LeaveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_LeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_LeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_LeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_LeaveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  
}

export interface SwarmHandlers extends grpc.UntypedServiceImplementation {
  Info: grpc.handleUnaryCall<_shoal_v1_Empty__Output, _shoal_v1_InfoReply>;
  
  Init: grpc.handleUnaryCall<_shoal_v1_InitRequest__Output, _shoal_v1_InitReply>;
  
  Join: grpc.handleUnaryCall<_shoal_v1_JoinRequest__Output, _shoal_v1_InitReply>;
  
  Leave: grpc.handleUnaryCall<_shoal_v1_LeaveRequest__Output, _shoal_v1_Empty>;
  
}

export interface SwarmDefinition extends grpc.ServiceDefinition {
  Info: MethodDefinition<_shoal_v1_Empty, _shoal_v1_InfoReply, _shoal_v1_Empty__Output, _shoal_v1_InfoReply__Output>
  Init: MethodDefinition<_shoal_v1_InitRequest, _shoal_v1_InitReply, _shoal_v1_InitRequest__Output, _shoal_v1_InitReply__Output>
  Join: MethodDefinition<_shoal_v1_JoinRequest, _shoal_v1_InitReply, _shoal_v1_JoinRequest__Output, _shoal_v1_InitReply__Output>
  Leave: MethodDefinition<_shoal_v1_LeaveRequest, _shoal_v1_Empty, _shoal_v1_LeaveRequest__Output, _shoal_v1_Empty__Output>
}
