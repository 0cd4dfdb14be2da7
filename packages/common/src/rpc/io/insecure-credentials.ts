import * as grpc from '@grpc/grpc-js';

/**
 * Channel credentials for the local API (a unix socket, or TCP the operator chose), which has no
 * TLS. Exported here so that a client that imports `@shoal/common/rpc` lazily needs no import of
 * its own of @grpc/grpc-js, whose CommonJS exports a bundle gives only as a default.
 */
export function insecureCredentials(): grpc.ChannelCredentials {
  return grpc.credentials.createInsecure();
}
