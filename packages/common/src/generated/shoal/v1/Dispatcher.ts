// Original file: proto/dispatcher.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AssignmentsMessage as _shoal_v1_AssignmentsMessage, AssignmentsMessage__Output as _shoal_v1_AssignmentsMessage__Output } from '../../shoal/v1/AssignmentsMessage.js';
import type { AssignmentsRequest as _shoal_v1_AssignmentsRequest, AssignmentsRequest__Output as _shoal_v1_AssignmentsRequest__Output } from '../../shoal/v1/AssignmentsRequest.js';
import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from '../../shoal/v1/Empty.js';
import type { HeartbeatReply as _shoal_v1_HeartbeatReply, HeartbeatReply__Output as _shoal_v1_HeartbeatReply__Output } from '../../shoal/v1/HeartbeatReply.js';
import type { HeartbeatRequest as _shoal_v1_HeartbeatRequest, HeartbeatRequest__Output as _shoal_v1_HeartbeatRequest__Output } from '../../shoal/v1/HeartbeatRequest.js';
import type { HostPortsReport as _shoal_v1_HostPortsReport, HostPortsReport__Output as _shoal_v1_HostPortsReport__Output } from '../../shoal/v1/HostPortsReport.js';
import type { SessionMessage as _shoal_v1_SessionMessage, SessionMessage__Output as _shoal_v1_SessionMessage__Output } from '../../shoal/v1/SessionMessage.js';
import type { SessionRequest as _shoal_v1_SessionRequest, SessionRequest__Output as _shoal_v1_SessionRequest__Output } from '../../shoal/v1/SessionRequest.js';
import type { UpdateTaskStatusRequest as _shoal_v1_UpdateTaskStatusRequest, UpdateTaskStatusRequest__Output as _shoal_v1_UpdateTaskStatusRequest__Output } from '../../shoal/v1/UpdateTaskStatusRequest.js';

export interface DispatcherClient extends grpc.Client {
  Assignments(argument: _shoal_v1_AssignmentsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_AssignmentsMessage__Output>;
  Assignments(argument: _shoal_v1_AssignmentsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_AssignmentsMessage__Output>;
  assignments(argument: _shoal_v1_AssignmentsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_AssignmentsMessage__Output>;
  assignments(argument: _shoal_v1_AssignmentsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_AssignmentsMessage__Output>;
  
  Heartbeat(argument: _shoal_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _shoal_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _shoal_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _shoal_v1_HeartbeatRequest, callback: grpc.requestCallback<_shoal_v1_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_v1_HeartbeatRequest, callback: grpc.requestCallback<_shoal_v1_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  
  ReportHostPorts(argument: _shoal_v1_HostPortsReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  ReportHostPorts(argument: _shoal_v1_HostPortsReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  ReportHostPorts(argument: _shoal_v1_HostPortsReport, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  ReportHostPorts(argument: _shoal_v1_HostPortsReport, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  reportHostPorts(argument: _shoal_v1_HostPortsReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  reportHostPorts(argument: _shoal_v1_HostPortsReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  reportHostPorts(argument: _shoal_v1_HostPortsReport, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  reportHostPorts(argument: _shoal_v1_HostPortsReport, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Session(argument: _shoal_v1_SessionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SessionMessage__Output>;
  Session(argument: _shoal_v1_SessionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SessionMessage__Output>;
  session(argument: _shoal_v1_SessionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SessionMessage__Output>;
  session(argument: _shoal_v1_SessionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SessionMessage__Output>;
  
  UpdateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  UpdateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  UpdateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  UpdateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  
}

export interface DispatcherHandlers extends grpc.UntypedServiceImplementation {
  Assignments: grpc.handleServerStreamingCall<_shoal_v1_AssignmentsRequest__Output, _shoal_v1_AssignmentsMessage>;
  
  Heartbeat: grpc.handleUnaryCall<_shoal_v1_HeartbeatRequest__Output, _shoal_v1_HeartbeatReply>;
  
  ReportHostPorts: grpc.handleUnaryCall<_shoal_v1_HostPortsReport__Output, _shoal_v1_Empty>;
  
  Session: grpc.handleServerStreamingCall<_shoal_v1_SessionRequest__Output, _shoal_v1_SessionMessage>;
  
  UpdateTaskStatus: grpc.handleUnaryCall<_shoal_v1_UpdateTaskStatusRequest__Output, _shoal_v1_Empty>;
  
}

export interface DispatcherDefinition extends grpc.ServiceDefinition {
  Assignments: MethodDefinition<_shoal_v1_AssignmentsRequest, _shoal_v1_AssignmentsMessage, _shoal_v1_AssignmentsRequest__Output, _shoal_v1_AssignmentsMessage__Output>
  Heartbeat: MethodDefinition<_shoal_v1_HeartbeatRequest, _shoal_v1_HeartbeatReply, _shoal_v1_HeartbeatRequest__Output, _shoal_v1_HeartbeatReply__Output>
  ReportHostPorts: MethodDefinition<_shoal_v1_HostPortsReport, _shoal_v1_Empty, _shoal_v1_HostPortsReport__Output, _shoal_v1_Empty__Output>
  Session: MethodDefinition<_shoal_v1_SessionRequest, _shoal_v1_SessionMessage, _shoal_v1_SessionRequest__Output, _shoal_v1_SessionMessage__Output>
  UpdateTaskStatus: MethodDefinition<_shoal_v1_UpdateTaskStatusRequest, _shoal_v1_Empty, _shoal_v1_UpdateTaskStatusRequest__Output, _shoal_v1_Empty__Output>
}
