import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { seededRng, type Node } from '@shoal/common';
import { loadProtos, unaryHandler } from '@shoal/common/rpc';
import { controlHandlers } from '../../packages/manager/src/control/io/control-service.js';
import { bootstrapCluster } from '../../packages/manager/src/bootstrap.js';
import { createService } from '../../packages/manager/src/control/services.js';
import { ShoalClient } from '../../packages/cli/src/io/client.js';
import { readComposeFiles } from '../../packages/cli/src/io/read-compose-files.js';
import { cliVersion } from '../../packages/cli/src/io/cli-version.js';
import { localStore, makeService } from '../../packages/manager/test/scheduler/fixtures.js';

/** The CLI's client against servers on a unix socket: a real control service, or one from another version. */
const dirs: string[] = [];
const servers: grpc.Server[] = [];
const clients: ShoalClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) s.forceShutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function serve(add: (server: grpc.Server) => void): Promise<ShoalClient> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-'));
  dirs.push(dir);
  const server = new grpc.Server();
  add(server);
  await new Promise<void>((resolve, reject) => server.bindAsync(`unix:${dir}/s.sock`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  servers.push(server);
  const client = new ShoalClient(`unix://${dir}/s.sock`);
  clients.push(client);
  return client;
}

/** A daemon of an older version: it knows only some Control methods. */
function olderControl(version: string | undefined) {
  return (server: grpc.Server) => {
    const protos = loadProtos();
    const all = controlHandlers(() => localStore().store, seededRng(1), () => 'token');
    const { UpdateCluster: _dropped, ...known } = all;
    server.addService(protos.Control.service, known as unknown as grpc.UntypedServiceImplementation);
    if (version !== undefined) {
      const info = unaryHandler(async () => ({ localNodeState: 'active', nodeId: 'n1', nodeAddr: '', controlAvailable: true, clusterId: 'c', managers: 1, nodes: 1, version }));
      server.addService(protos.Swarm.service, { Info: info } as unknown as grpc.UntypedServiceImplementation);
    }
  };
}

describe('the CLI client', () => {
  it('names both versions when the daemon does not know a method', async () => {
    const client = await serve(olderControl('0.0.9'));
    await expect(client.updateCluster(0, { maxReplicas: 5 })).rejects.toThrow(
      `shoal CLI ${cliVersion()} and shoald 0.0.9 differ: the daemon does not know UpdateCluster; upgrade shoald to ${cliVersion()}`,
    );
  });

  it('says "newer than its shoald" when the daemon cannot even tell its version', async () => {
    const client = await serve(olderControl(undefined));
    await expect(client.updateCluster(0, { maxReplicas: 5 })).rejects.toThrow(`shoal CLI ${cliVersion()} is newer than its shoald: the daemon does not know UpdateCluster`);
  });

  it('lists every service when the listing is far larger than one 4 MiB reply', async () => {
    const { store } = localStore();
    await bootstrapCluster(store, { clusterId: 'c1', nodeId: 'n1', hostname: 'h1', addr: '10.0.0.1:4242' });
    const big = 'x'.repeat(400 * 1024);
    for (let i = 0; i < 25; i++) {
      const spec = { ...makeService(`s${i}`).spec, annotations: { name: `svc${i}`, labels: { big } } };
      await createService(store, seededRng(i + 1), spec);
    }
    const client = await serve((server) =>
      server.addService(loadProtos().Control.service, controlHandlers(() => store, seededRng(1), () => 't', (n: Node) => n) as unknown as grpc.UntypedServiceImplementation),
    );
    const services = await client.listServices();
    expect(services.map((s) => s.spec.annotations.name).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `svc${i}`).sort());
  });
});

describe('compose files', () => {
  it('refuses a file over the limit before parsing it, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-compose-'));
    dirs.push(dir);
    const path = join(dir, 'big.yml');
    writeFileSync(path, `services:\n  web:\n    image: x\n    labels:\n      a: "${'x'.repeat(5 * 1024 * 1024)}"\n`);
    await expect(readComposeFiles([`${path}`])).rejects.toThrow(`compose file ${path} is 5.0 MiB; the limit is 2 MiB`);
  });
});
