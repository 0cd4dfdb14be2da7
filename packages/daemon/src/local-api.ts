import * as grpc from '@grpc/grpc-js';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadProtos, type ControlHandlers, type SwarmHandlers } from '@shoal/common/rpc';

/**
 * The node-local API on a unix socket (root only, mode 0600), as dockerd's /var/run/docker.sock:
 * the Swarm service always, the Control service (answering "not a manager" on workers).
 */
export async function serveLocalApi(socketPath: string, swarm: SwarmHandlers, control: ControlHandlers): Promise<grpc.Server> {
  const protos = loadProtos();
  const server = new grpc.Server();
  server.addService(protos.Swarm.service, swarm);
  server.addService(protos.Control.service, control);
  await mkdir(dirname(socketPath), { recursive: true, mode: 0o755 });
  await rm(socketPath, { force: true });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix:${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  await chmod(socketPath, 0o600);
  return server;
}

export function shutdownServer(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, 2_000);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
