import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AssignmentsMessage as _shoal_v1_AssignmentsMessage, AssignmentsMessage__Output as _shoal_v1_AssignmentsMessage__Output } from './shoal/v1/AssignmentsMessage.js';
import type { AssignmentsRequest as _shoal_v1_AssignmentsRequest, AssignmentsRequest__Output as _shoal_v1_AssignmentsRequest__Output } from './shoal/v1/AssignmentsRequest.js';
import type { DispatcherClient as _shoal_v1_DispatcherClient, DispatcherDefinition as _shoal_v1_DispatcherDefinition } from './shoal/v1/Dispatcher.js';
import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from './shoal/v1/Empty.js';
import type { HeartbeatReply as _shoal_v1_HeartbeatReply, HeartbeatReply__Output as _shoal_v1_HeartbeatReply__Output } from './shoal/v1/HeartbeatReply.js';
import type { HeartbeatRequest as _shoal_v1_HeartbeatRequest, HeartbeatRequest__Output as _shoal_v1_HeartbeatRequest__Output } from './shoal/v1/HeartbeatRequest.js';
import type { HostPort as _shoal_v1_HostPort, HostPort__Output as _shoal_v1_HostPort__Output } from './shoal/v1/HostPort.js';
import type { HostPortsReport as _shoal_v1_HostPortsReport, HostPortsReport__Output as _shoal_v1_HostPortsReport__Output } from './shoal/v1/HostPortsReport.js';
import type { IngressReport as _shoal_v1_IngressReport, IngressReport__Output as _shoal_v1_IngressReport__Output } from './shoal/v1/IngressReport.js';
import type { ListReply as _shoal_v1_ListReply, ListReply__Output as _shoal_v1_ListReply__Output } from './shoal/v1/ListReply.js';
import type { NodeDescription as _shoal_v1_NodeDescription, NodeDescription__Output as _shoal_v1_NodeDescription__Output } from './shoal/v1/NodeDescription.js';
import type { ObjectReply as _shoal_v1_ObjectReply, ObjectReply__Output as _shoal_v1_ObjectReply__Output } from './shoal/v1/ObjectReply.js';
import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from './shoal/v1/Platform.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from './shoal/v1/Resources.js';
import type { SessionMessage as _shoal_v1_SessionMessage, SessionMessage__Output as _shoal_v1_SessionMessage__Output } from './shoal/v1/SessionMessage.js';
import type { SessionRequest as _shoal_v1_SessionRequest, SessionRequest__Output as _shoal_v1_SessionRequest__Output } from './shoal/v1/SessionRequest.js';
import type { TaskStatus as _shoal_v1_TaskStatus, TaskStatus__Output as _shoal_v1_TaskStatus__Output } from './shoal/v1/TaskStatus.js';
import type { TaskStatusUpdate as _shoal_v1_TaskStatusUpdate, TaskStatusUpdate__Output as _shoal_v1_TaskStatusUpdate__Output } from './shoal/v1/TaskStatusUpdate.js';
import type { UpdateTaskStatusRequest as _shoal_v1_UpdateTaskStatusRequest, UpdateTaskStatusRequest__Output as _shoal_v1_UpdateTaskStatusRequest__Output } from './shoal/v1/UpdateTaskStatusRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      AssignmentsMessage: MessageTypeDefinition<_shoal_v1_AssignmentsMessage, _shoal_v1_AssignmentsMessage__Output>
      AssignmentsRequest: MessageTypeDefinition<_shoal_v1_AssignmentsRequest, _shoal_v1_AssignmentsRequest__Output>
      Dispatcher: SubtypeConstructor<typeof grpc.Client, _shoal_v1_DispatcherClient> & { service: _shoal_v1_DispatcherDefinition }
      Empty: MessageTypeDefinition<_shoal_v1_Empty, _shoal_v1_Empty__Output>
      HeartbeatReply: MessageTypeDefinition<_shoal_v1_HeartbeatReply, _shoal_v1_HeartbeatReply__Output>
      HeartbeatRequest: MessageTypeDefinition<_shoal_v1_HeartbeatRequest, _shoal_v1_HeartbeatRequest__Output>
      HostPort: MessageTypeDefinition<_shoal_v1_HostPort, _shoal_v1_HostPort__Output>
      HostPortsReport: MessageTypeDefinition<_shoal_v1_HostPortsReport, _shoal_v1_HostPortsReport__Output>
      IngressReport: MessageTypeDefinition<_shoal_v1_IngressReport, _shoal_v1_IngressReport__Output>
      ListReply: MessageTypeDefinition<_shoal_v1_ListReply, _shoal_v1_ListReply__Output>
      NodeDescription: MessageTypeDefinition<_shoal_v1_NodeDescription, _shoal_v1_NodeDescription__Output>
      ObjectReply: MessageTypeDefinition<_shoal_v1_ObjectReply, _shoal_v1_ObjectReply__Output>
      Platform: MessageTypeDefinition<_shoal_v1_Platform, _shoal_v1_Platform__Output>
      Resources: MessageTypeDefinition<_shoal_v1_Resources, _shoal_v1_Resources__Output>
      SessionMessage: MessageTypeDefinition<_shoal_v1_SessionMessage, _shoal_v1_SessionMessage__Output>
      SessionRequest: MessageTypeDefinition<_shoal_v1_SessionRequest, _shoal_v1_SessionRequest__Output>
      TaskStatus: MessageTypeDefinition<_shoal_v1_TaskStatus, _shoal_v1_TaskStatus__Output>
      TaskStatusUpdate: MessageTypeDefinition<_shoal_v1_TaskStatusUpdate, _shoal_v1_TaskStatusUpdate__Output>
      UpdateTaskStatusRequest: MessageTypeDefinition<_shoal_v1_UpdateTaskStatusRequest, _shoal_v1_UpdateTaskStatusRequest__Output>
    }
  }
}

