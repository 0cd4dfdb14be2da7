import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Network } from '@shoal/common';
import { callUnary, insecureCredentials, loadProtos, type ControlClient, type SwarmClient } from '@shoal/common/rpc';
import { Daemon } from '@shoal/daemon';
import { createLogger } from '../../packages/daemon/src/logger.js';
import { noopIptablesDir, serveEmptyEngine } from '../../bench/lib/fake-engine.mjs';

/**
 * The leader keys an encrypted network as soon as it is created (manager/src/network-keys), keeps
 * the keys in the store, and the control API never returns them (in-process shoald, fake engine).
 */
const ADDR = '127.0.0.1:24330';
let dir: string;
let daemon: Daemon;
let engine: { url: string; close(): Promise<void> };
let control: ControlClient;
let swarm: SwarmClient;
const path = process.env.PATH;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shoal-netkeys-'));
  process.env.PATH = `${noopIptablesDir(join(dir, 'bin'))}:${path}`;
  engine = await serveEmptyEngine(join(dir, 'engine.sock'));
  const socket = join(dir, 'shoald.sock');
  daemon = new Daemon({ dataDir: join(dir, 'data'), socket, hostname: 'm0', listenAddr: ADDR, advertiseAddr: ADDR, dockerHost: engine.url, log: createLogger('silent') });
  await daemon.start();
  const protos = loadProtos();
  control = new protos.Control(`unix://${socket}`, insecureCredentials()) as ControlClient;
  swarm = new protos.Swarm(`unix://${socket}`, insecureCredentials()) as SwarmClient;
  await callUnary((o, cb) => swarm.Init({ advertiseAddr: ADDR, listenAddr: ADDR, defaultAddrPool: [], defaultAddrPoolMaskLen: 0 }, o, cb), 'shoald');
}, 60_000);

afterAll(async () => {
  control?.close();
  swarm?.close();
  await daemon?.stop();
  await engine?.close();
  process.env.PATH = path;
  rmSync(dir, { recursive: true, force: true });
});

const createNetwork = async (spec: object): Promise<Network> =>
  JSON.parse((await callUnary<{ objectJson: string }>((o, cb) => control.CreateNetwork({ specJson: JSON.stringify(spec) }, o, cb), 'shoald')).objectJson) as Network;
const getNetwork = async (ref: string): Promise<Network> => JSON.parse((await callUnary<{ objectJson: string }>((o, cb) => control.GetNetwork({ ref }, o, cb), 'shoald')).objectJson) as Network;
const listNetworks = async (): Promise<Network[]> =>
  (await callUnary<{ objectsJson: string[] }>((o, cb) => control.ListNetworks({ filters: {}, paged: false, pageToken: '' }, o, cb), 'shoald')).objectsJson.map((j) => JSON.parse(j) as Network);
const stored = (id: string): Network | undefined =>
  (daemon as unknown as { manager: { store: { view(): { get(t: 'networks', id: string): Network | undefined } } } }).manager.store.view().get('networks', id);

describe('keys of encrypted networks', () => {
  it('the leader keys an encrypted network at once; inspect and ls never show the keys', async () => {
    const secret = await createNetwork({ annotations: { name: 'app_secret', labels: {} }, driver: 'overlay', driverOpts: { encrypted: '' } });
    const plain = await createNetwork({ annotations: { name: 'app_plain', labels: {} }, driver: 'overlay' });
    for (let i = 0; i < 100 && !stored(secret.id)?.keys; i++) await new Promise((r) => setTimeout(r, 20));
    const keys = stored(secret.id)?.keys;
    expect(keys).toHaveLength(1);
    expect(Buffer.from(keys![0]!.keyB64, 'base64')).toHaveLength(32);
    expect(stored(plain.id)?.keys).toBeUndefined();
    expect((await getNetwork('app_secret')).keys).toBeUndefined();
    expect((await listNetworks()).every((n) => n.keys === undefined)).toBe(true);
    expect(JSON.stringify(await listNetworks())).not.toContain(keys![0]!.keyB64);
  });
});
