// Original file: proto/control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateNetworkRequest as _shoal_v1_CreateNetworkRequest, CreateNetworkRequest__Output as _shoal_v1_CreateNetworkRequest__Output } from '../../shoal/v1/CreateNetworkRequest.js';
import type { CreateServiceRequest as _shoal_v1_CreateServiceRequest, CreateServiceRequest__Output as _shoal_v1_CreateServiceRequest__Output } from '../../shoal/v1/CreateServiceRequest.js';
import type { Empty as _shoal_v1_Empty, Empty__Output as _shoal_v1_Empty__Output } from '../../shoal/v1/Empty.js';
import type { GetRequest as _shoal_v1_GetRequest, GetRequest__Output as _shoal_v1_GetRequest__Output } from '../../shoal/v1/GetRequest.js';
import type { JoinTokensReply as _shoal_v1_JoinTokensReply, JoinTokensReply__Output as _shoal_v1_JoinTokensReply__Output } from '../../shoal/v1/JoinTokensReply.js';
import type { JoinTokensRequest as _shoal_v1_JoinTokensRequest, JoinTokensRequest__Output as _shoal_v1_JoinTokensRequest__Output } from '../../shoal/v1/JoinTokensRequest.js';
import type { ListReply as _shoal_v1_ListReply, ListReply__Output as _shoal_v1_ListReply__Output } from '../../shoal/v1/ListReply.js';
import type { ListRequest as _shoal_v1_ListRequest, ListRequest__Output as _shoal_v1_ListRequest__Output } from '../../shoal/v1/ListRequest.js';
import type { ObjectReply as _shoal_v1_ObjectReply, ObjectReply__Output as _shoal_v1_ObjectReply__Output } from '../../shoal/v1/ObjectReply.js';
import type { RemoveRequest as _shoal_v1_RemoveRequest, RemoveRequest__Output as _shoal_v1_RemoveRequest__Output } from '../../shoal/v1/RemoveRequest.js';
import type { UpdateClusterRequest as _shoal_v1_UpdateClusterRequest, UpdateClusterRequest__Output as _shoal_v1_UpdateClusterRequest__Output } from '../../shoal/v1/UpdateClusterRequest.js';
import type { UpdateNodeRequest as _shoal_v1_UpdateNodeRequest, UpdateNodeRequest__Output as _shoal_v1_UpdateNodeRequest__Output } from '../../shoal/v1/UpdateNodeRequest.js';
import type { UpdateServiceRequest as _shoal_v1_UpdateServiceRequest, UpdateServiceRequest__Output as _shoal_v1_UpdateServiceRequest__Output } from '../../shoal/v1/UpdateServiceRequest.js';

export interface ControlClient extends grpc.Client {
  CreateNetwork(argument: _shoal_v1_CreateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _shoal_v1_CreateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _shoal_v1_CreateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _shoal_v1_CreateNetworkRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_v1_CreateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_v1_CreateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_v1_CreateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_v1_CreateNetworkRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  
  CreateService(argument: _shoal_v1_CreateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_v1_CreateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_v1_CreateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_v1_CreateServiceRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  
  GetCluster(argument: _shoal_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetCluster(argument: _shoal_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetCluster(argument: _shoal_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetCluster(argument: _shoal_v1_Empty, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getCluster(argument: _shoal_v1_Empty, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  
  GetNetwork(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _shoal_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _shoal_v1_GetRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_v1_GetRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  
  GetNode(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_v1_GetRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_GetRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  
  GetService(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_v1_GetRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_GetRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  
  JoinTokens(argument: _shoal_v1_JoinTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinTokensReply__Output>): grpc.ClientUnaryCall;
  JoinTokens(argument: _shoal_v1_JoinTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_JoinTokensReply__Output>): grpc.ClientUnaryCall;
  JoinTokens(argument: _shoal_v1_JoinTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinTokensReply__Output>): grpc.ClientUnaryCall;
  JoinTokens(argument: _shoal_v1_JoinTokensRequest, callback: grpc.requestCallback<_shoal_v1_JoinTokensReply__Output>): grpc.ClientUnaryCall;
  joinTokens(argument: _shoal_v1_JoinTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinTokensReply__Output>): grpc.ClientUnaryCall;
  joinTokens(argument: _shoal_v1_JoinTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_JoinTokensReply__Output>): grpc.ClientUnaryCall;
  joinTokens(argument: _shoal_v1_JoinTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinTokensReply__Output>): grpc.ClientUnaryCall;
  joinTokens(argument: _shoal_v1_JoinTokensRequest, callback: grpc.requestCallback<_shoal_v1_JoinTokensReply__Output>): grpc.ClientUnaryCall;
  
  ListNetworks(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _shoal_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _shoal_v1_ListRequest, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_v1_ListRequest, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  
  ListNodes(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_v1_ListRequest, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_ListRequest, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  
  ListServices(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_v1_ListRequest, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_ListRequest, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  
  ListTasks(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_v1_ListRequest, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListRequest, callback: grpc.requestCallback<_shoal_v1_ListReply__Output>): grpc.ClientUnaryCall;
  
  RemoveNetwork(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveNetwork(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveNetwork(argument: _shoal_v1_RemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveNetwork(argument: _shoal_v1_RemoveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_v1_RemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_v1_RemoveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  RemoveNode(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_v1_RemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_v1_RemoveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  RemoveService(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_v1_RemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_v1_RemoveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RemoveRequest, callback: grpc.requestCallback<_shoal_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  
  UpdateNode(argument: _shoal_v1_UpdateNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_v1_UpdateNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_v1_UpdateNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_v1_UpdateNodeRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  
  UpdateService(argument: _shoal_v1_UpdateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_v1_UpdateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_v1_UpdateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_v1_UpdateServiceRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequest, callback: grpc.requestCallback<_shoal_v1_ObjectReply__Output>): grpc.ClientUnaryCall;
  
}

export interface ControlHandlers extends grpc.UntypedServiceImplementation {
  CreateNetwork: grpc.handleUnaryCall<_shoal_v1_CreateNetworkRequest__Output, _shoal_v1_ObjectReply>;
  
  CreateService: grpc.handleUnaryCall<_shoal_v1_CreateServiceRequest__Output, _shoal_v1_ObjectReply>;
  
  GetCluster: grpc.handleUnaryCall<_shoal_v1_Empty__Output, _shoal_v1_ObjectReply>;
  
  GetNetwork: grpc.handleUnaryCall<_shoal_v1_GetRequest__Output, _shoal_v1_ObjectReply>;
  
  GetNode: grpc.handleUnaryCall<_shoal_v1_GetRequest__Output, _shoal_v1_ObjectReply>;
  
  GetService: grpc.handleUnaryCall<_shoal_v1_GetRequest__Output, _shoal_v1_ObjectReply>;
  
  JoinTokens: grpc.handleUnaryCall<_shoal_v1_JoinTokensRequest__Output, _shoal_v1_JoinTokensReply>;
  
  ListNetworks: grpc.handleUnaryCall<_shoal_v1_ListRequest__Output, _shoal_v1_ListReply>;
  
  ListNodes: grpc.handleUnaryCall<_shoal_v1_ListRequest__Output, _shoal_v1_ListReply>;
  
  ListServices: grpc.handleUnaryCall<_shoal_v1_ListRequest__Output, _shoal_v1_ListReply>;
  
  ListTasks: grpc.handleUnaryCall<_shoal_v1_ListRequest__Output, _shoal_v1_ListReply>;
  
  RemoveNetwork: grpc.handleUnaryCall<_shoal_v1_RemoveRequest__Output, _shoal_v1_Empty>;
  
  RemoveNode: grpc.handleUnaryCall<_shoal_v1_RemoveRequest__Output, _shoal_v1_Empty>;
  
  RemoveService: grpc.handleUnaryCall<_shoal_v1_RemoveRequest__Output, _shoal_v1_Empty>;
  
  UpdateCluster: grpc.handleUnaryCall<_shoal_v1_UpdateClusterRequest__Output, _shoal_v1_ObjectReply>;
  
  UpdateNode: grpc.handleUnaryCall<_shoal_v1_UpdateNodeRequest__Output, _shoal_v1_ObjectReply>;
  
  UpdateService: grpc.handleUnaryCall<_shoal_v1_UpdateServiceRequest__Output, _shoal_v1_ObjectReply>;
  
}

export interface ControlDefinition extends grpc.ServiceDefinition {
  CreateNetwork: MethodDefinition<_shoal_v1_CreateNetworkRequest, _shoal_v1_ObjectReply, _shoal_v1_CreateNetworkRequest__Output, _shoal_v1_ObjectReply__Output>
  CreateService: MethodDefinition<_shoal_v1_CreateServiceRequest, _shoal_v1_ObjectReply, _shoal_v1_CreateServiceRequest__Output, _shoal_v1_ObjectReply__Output>
  GetCluster: MethodDefinition<_shoal_v1_Empty, _shoal_v1_ObjectReply, _shoal_v1_Empty__Output, _shoal_v1_ObjectReply__Output>
  GetNetwork: MethodDefinition<_shoal_v1_GetRequest, _shoal_v1_ObjectReply, _shoal_v1_GetRequest__Output, _shoal_v1_ObjectReply__Output>
  GetNode: MethodDefinition<_shoal_v1_GetRequest, _shoal_v1_ObjectReply, _shoal_v1_GetRequest__Output, _shoal_v1_ObjectReply__Output>
  GetService: MethodDefinition<_shoal_v1_GetRequest, _shoal_v1_ObjectReply, _shoal_v1_GetRequest__Output, _shoal_v1_ObjectReply__Output>
  JoinTokens: MethodDefinition<_shoal_v1_JoinTokensRequest, _shoal_v1_JoinTokensReply, _shoal_v1_JoinTokensRequest__Output, _shoal_v1_JoinTokensReply__Output>
  ListNetworks: MethodDefinition<_shoal_v1_ListRequest, _shoal_v1_ListReply, _shoal_v1_ListRequest__Output, _shoal_v1_ListReply__Output>
  ListNodes: MethodDefinition<_shoal_v1_ListRequest, _shoal_v1_ListReply, _shoal_v1_ListRequest__Output, _shoal_v1_ListReply__Output>
  ListServices: MethodDefinition<_shoal_v1_ListRequest, _shoal_v1_ListReply, _shoal_v1_ListRequest__Output, _shoal_v1_ListReply__Output>
  ListTasks: MethodDefinition<_shoal_v1_ListRequest, _shoal_v1_ListReply, _shoal_v1_ListRequest__Output, _shoal_v1_ListReply__Output>
  RemoveNetwork: MethodDefinition<_shoal_v1_RemoveRequest, _shoal_v1_Empty, _shoal_v1_RemoveRequest__Output, _shoal_v1_Empty__Output>
  RemoveNode: MethodDefinition<_shoal_v1_RemoveRequest, _shoal_v1_Empty, _shoal_v1_RemoveRequest__Output, _shoal_v1_Empty__Output>
  RemoveService: MethodDefinition<_shoal_v1_RemoveRequest, _shoal_v1_Empty, _shoal_v1_RemoveRequest__Output, _shoal_v1_Empty__Output>
  UpdateCluster: MethodDefinition<_shoal_v1_UpdateClusterRequest, _shoal_v1_ObjectReply, _shoal_v1_UpdateClusterRequest__Output, _shoal_v1_ObjectReply__Output>
  UpdateNode: MethodDefinition<_shoal_v1_UpdateNodeRequest, _shoal_v1_ObjectReply, _shoal_v1_UpdateNodeRequest__Output, _shoal_v1_ObjectReply__Output>
  UpdateService: MethodDefinition<_shoal_v1_UpdateServiceRequest, _shoal_v1_ObjectReply, _shoal_v1_UpdateServiceRequest__Output, _shoal_v1_ObjectReply__Output>
}
