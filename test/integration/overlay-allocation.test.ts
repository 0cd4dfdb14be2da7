import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressOf, type Network, type Service, type Task } from '@shoal/common';
import { callUnary, insecureCredentials, loadProtos, type ControlClient, type SwarmClient } from '@shoal/common/rpc';
import { Daemon } from '@shoal/daemon';
import { createLogger } from '../../packages/daemon/src/logger.js';
import { ShoalClient } from '../../packages/cli/src/io/client.js';
import { noopIptablesDir, serveEmptyEngine } from '../../bench/lib/fake-engine.mjs';
import { serviceSpec } from './fixtures.js';

/**
 * Overlay allocation through the control API of a real shoald (in-process Daemon, its manager and
 * its agent on an empty fake engine): `swarm init --default-addr-pool`, network create/inspect/
 * ls/rm over gRPC, a service's VIP and its tasks' addresses.
 */
const ADDR = '127.0.0.1:24310';
let dir: string;
let daemon: Daemon;
let client: ShoalClient;
let engine: { url: string; close(): Promise<void> };
let control: ControlClient;
let swarm: SwarmClient;
const path = process.env.PATH;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shoal-overlay-'));
  process.env.PATH = `${noopIptablesDir(join(dir, 'bin'))}:${path}`;
  engine = await serveEmptyEngine(join(dir, 'engine.sock'));
  const socket = join(dir, 'shoald.sock');
  daemon = new Daemon({ dataDir: join(dir, 'data'), socket, hostname: 'm0', listenAddr: ADDR, advertiseAddr: ADDR, dockerHost: engine.url, log: createLogger('silent') });
  await daemon.start();
  client = new ShoalClient(`unix://${socket}`);
  const protos = loadProtos();
  control = new protos.Control(`unix://${socket}`, insecureCredentials()) as ControlClient;
  swarm = new protos.Swarm(`unix://${socket}`, insecureCredentials()) as SwarmClient;
}, 60_000);

afterAll(async () => {
  control?.close();
  swarm?.close();
  client?.close();
  await daemon?.stop();
  await engine?.close();
  process.env.PATH = path;
  rmSync(dir, { recursive: true, force: true });
});

const errorOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: Error) => e.message);
const init = (pool: string[], maskLen: number) =>
  callUnary((o, cb) => swarm.Init({ advertiseAddr: ADDR, listenAddr: ADDR, defaultAddrPool: pool, defaultAddrPoolMaskLen: maskLen }, o, cb), 'shoald');
const createNetwork = async (spec: object): Promise<Network> =>
  JSON.parse((await callUnary<{ objectJson: string }>((o, cb) => control.CreateNetwork({ specJson: JSON.stringify(spec) }, o, cb), 'shoald')).objectJson) as Network;
const getNetwork = async (ref: string): Promise<Network> => JSON.parse((await callUnary<{ objectJson: string }>((o, cb) => control.GetNetwork({ ref }, o, cb), 'shoald')).objectJson) as Network;
const listNetworks = async (filters: Record<string, string> = {}): Promise<Network[]> =>
  (await callUnary<{ objectsJson: string[] }>((o, cb) => control.ListNetworks({ filters, paged: false, pageToken: '' }, o, cb), 'shoald')).objectsJson.map((j) => JSON.parse(j) as Network);
const removeNetwork = (ref: string) => callUnary((o, cb) => control.RemoveNetwork({ ref, force: false }, o, cb), 'shoald');

describe('overlay allocation through the control API', () => {
  it('init with an address pool, networks, a service VIP and task addresses, network rm', async () => {
    expect(await errorOf(init(['10.99.0.0/16'], 12))).toContain('smaller than the subnet size /12');
    await init(['10.210.0.0/16', '10.211.0.0/16'], 24);

    // swarm init made the ingress network, as Docker does: it has the pool's first subnet.
    const ingress = await getNetwork('ingress');
    expect(ingress).toMatchObject({ spec: { ingress: true, attachable: false }, allocation: { subnet: '10.210.0.0/24', gateway: '10.210.0.1' } });
    // The leader's allocator gives the node its own address there.
    const deadline = Date.now() + 10_000;
    while (!(await client.listNodes())[0]?.ingress && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await client.listNodes())[0]!.ingress).toEqual({ networkId: ingress.id, address: '10.210.0.2/24' });
    expect(await errorOf(createNetwork({ annotations: { name: 'mesh2', labels: {} }, ingress: true }))).toBe(`ingress network ingress (${ingress.id}) is already present`);
    const front = await createNetwork({ annotations: { name: 'app_front', labels: { tier: 'front' } }, driver: 'overlay', attachable: true });
    const back = await createNetwork({ annotations: { name: 'app_back', labels: {} }, ipam: [{ subnet: '10.30.0.0/24', gateway: '10.30.0.254' }] });
    expect(front.allocation).toMatchObject({ subnet: '10.210.1.0/24', gateway: '10.210.1.1' });
    expect(back.allocation).toMatchObject({ subnet: '10.30.0.0/24', gateway: '10.30.0.254' });
    expect(front.allocation!.vxlanId).not.toBe(back.allocation!.vxlanId);
    expect(await errorOf(createNetwork({ annotations: { name: 'app_front', labels: {} } }))).toBe('network app_front already exists');
    expect(await errorOf(createNetwork({ annotations: { name: 'x', labels: {} }, ipam: [{ subnet: '10.210.1.0/24' }] }))).toBe('subnet 10.210.1.0/24 overlaps network app_front (10.210.1.0/24)');

    expect((await getNetwork(front.id.slice(0, 6))).spec.annotations.name).toBe('app_front');
    expect((await listNetworks({ label: 'tier=front' })).map((n) => n.id)).toEqual([front.id]);

    const spec = serviceSpec({ name: 'app_web', replicas: 3 });
    spec.task.networks = [{ target: 'app_front', aliases: ['web'] }, { target: back.id, aliases: ['web'] }];
    const web: Service = await client.createService(spec);
    expect(web.spec.task.networks.map((n) => n.target)).toEqual(['app_front', 'app_back']);
    expect(web.endpoint!.virtualIps.map((v) => v.address)).toEqual(['10.210.1.2/24', '10.30.0.1/24']);

    const allocated = await pollTasks(web.id);
    const addresses = allocated.flatMap((t) => t.networks!.map((n) => addressOf(n.address)));
    expect(new Set(addresses).size).toBe(6);
    expect(addresses.filter((a) => a.startsWith('10.30.0.')).sort()).toEqual(['10.30.0.2', '10.30.0.3', '10.30.0.4']);

    expect(await errorOf(removeNetwork('app_back'))).toBe('network app_back is in use by service app_web');
    await client.removeService(web.id);
    await removeNetwork('app_back');
    expect((await listNetworks()).map((n) => n.spec.annotations.name).sort()).toEqual(['app_front', 'ingress']);
  }, 60_000);
});

async function pollTasks(serviceId: string): Promise<Task[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ts = await client.listTasks({ service: serviceId });
    const done = ts.filter((t) => t.status.state !== 'new' && (t.networks?.length ?? 0) === 2);
    if (done.length === 3) return done;
    if (Date.now() > deadline) throw new Error(`timed out waiting for allocated tasks: ${JSON.stringify(ts.map((t) => t.status))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
