// Original file: proto/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from '../../shoal/v1/Empty.js';
import type { RaftChunk as _shoal_v1_RaftChunk, RaftChunk__Output as _shoal_v1_RaftChunk__Output } from '../../shoal/v1/RaftChunk.js';
import type { RaftJoinReply as _shoal_v1_RaftJoinReply, RaftJoinReply__Output as _shoal_v1_RaftJoinReply__Output } from '../../shoal/v1/RaftJoinReply.js';
import type { RaftJoinRequest as _shoal_v1_RaftJoinRequest, RaftJoinRequest__Output as _shoal_v1_RaftJoinRequest__Output } from '../../shoal/v1/RaftJoinRequest.js';
import type { RaftLeaveRequest as _shoal_v1_RaftLeaveRequest, RaftLeaveRequest__Output as _shoal_v1_RaftLeaveRequest__Output } from '../../shoal/v1/RaftLeaveRequest.js';

export interface RaftClient extends grpc.Client {
  Join(argument: _shoal_v1_RaftJoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftJoinReply__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_RaftJoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RaftJoinReply__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_RaftJoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftJoinReply__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_RaftJoinRequest, callback: grpc.requestCallback<_shoal_v1_RaftJoinReply__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_RaftJoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftJoinReply__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_RaftJoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RaftJoinReply__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_RaftJoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftJoinReply__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_RaftJoinRequest, callback: grpc.requestCallback<_shoal_v1_RaftJoinReply__Output>): grpc.ClientUnaryCall;
  
  Leave(argument: _shoal_v1_RaftLeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_v1_RaftLeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_v1_RaftLeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_v1_RaftLeaveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_RaftLeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_RaftLeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_RaftLeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_RaftLeaveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Stream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientWritableStream<_shoal_v1_RaftChunk>;
  Stream(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientWritableStream<_shoal_v1_RaftChunk>;
  Stream(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientWritableStream<_shoal_v1_RaftChunk>;
  Stream(callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientWritableStream<_shoal_v1_RaftChunk>;
  stream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientWritableStream<_shoal_v1_RaftChunk>;
  stream(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientWritableStream<_shoal_v1_RaftChunk>;
  stream(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientWritableStream<_shoal_v1_RaftChunk>;
  stream(callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientWritableStream<_shoal_v1_RaftChunk>;
  
}

export interface RaftHandlers extends grpc.UntypedServiceImplementation {
  Join: grpc.handleUnaryCall<_shoal_v1_RaftJoinRequest__Output, _shoal_v1_RaftJoinReply>;
  
  Leave: grpc.handleUnaryCall<_shoal_v1_RaftLeaveRequest__Output, _shoal_v1_Empty>;
  
  Stream: grpc.handleClientStreamingCall<_shoal_v1_RaftChunk__Output, _shoal_v1_Empty>;
  
}

export interface RaftDefinition extends grpc.ServiceDefinition {
  Join: MethodDefinition<_shoal_v1_RaftJoinRequest, _shoal_v1_RaftJoinReply, _shoal_v1_RaftJoinRequest__Output, _shoal_v1_RaftJoinReply__Output>
  Leave: MethodDefinition<_shoal_v1_RaftLeaveRequest, _shoal_v1_Empty, _shoal_v1_RaftLeaveRequest__Output, _shoal_v1_Empty__Output>
  Stream: MethodDefinition<_shoal_v1_RaftChunk, _shoal_v1_Empty, _shoal_v1_RaftChunk__Output, _shoal_v1_Empty__Output>
}
