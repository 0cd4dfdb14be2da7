import * as grpc from '@grpc/grpc-js';
import { PROTO_DESCRIPTOR } from '../proto-descriptor.js';
import { servicesFromJSON } from './package-definition.js';
import type { ProtoGrpcType as ControlProto } from '../../generated/control.js';
import type { ProtoGrpcType as DispatcherProto } from '../../generated/dispatcher.js';
import type { ProtoGrpcType as SwarmProto } from '../../generated/swarm.js';
import type { ProtoGrpcType as CaProto } from '../../generated/ca.js';
import type { ProtoGrpcType as RaftProto } from '../../generated/raft.js';

export type ShoalProtos = ControlProto['shoal']['v1'] & DispatcherProto['shoal']['v1'] & SwarmProto['shoal']['v1'] & CaProto['shoal']['v1'] & RaftProto['shoal']['v1'];

let cached: ShoalProtos | undefined;

/**
 * The gRPC services and messages of proto/, from the descriptor the build generates from those
 * files (see scripts/gen-proto-descriptor.mjs): no .proto text is parsed at start.
 */
export function loadProtos(): ShoalProtos {
  if (cached) return cached;
  const definition = servicesFromJSON(PROTO_DESCRIPTOR as Parameters<typeof servicesFromJSON>[0]);
  const loaded = grpc.loadPackageDefinition(definition) as unknown as { shoal: { v1: ShoalProtos } };
  cached = loaded.shoal.v1;
  return cached;
}

/**
 * Channel options for node-to-node calls: certificates name nodes, not addresses, so the TLS
 * server name is a fixed label (the credentials check the peer's certificate themselves) rather
 * than an IP address, which TLS forbids as a server name.
 */
export const CLUSTER_CHANNEL_OPTIONS = { 'grpc.ssl_target_name_override': 'shoal-node', 'grpc.default_authority': 'shoal-node' };
