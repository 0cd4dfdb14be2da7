import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RESTART_POLICY, type Task } from '@shoal/common';
import { Daemon } from '@shoal/daemon';
import { createLogger } from '../../packages/daemon/src/logger.js';
import { ShoalClient } from '../../packages/cli/src/io/client.js';
import { HollowNode, joinHollow } from '../../bench/hollow/hollow-node.mjs';
import { noopIptablesDir, serveEmptyEngine } from '../../bench/lib/fake-engine.mjs';
import { serviceSpec } from './fixtures.js';

/**
 * 20 hollow nodes (the real agent with the fake runtime, bench/hollow) join a real shoald manager
 * (in-process Daemon, mutual TLS on loopback) through the CA with the worker token, each with its
 * own certificate and session. The manager's own agent sees an empty engine and no-op iptables.
 */
const NODES = 20;
const ADDR = '127.0.0.1:24290';

let dir: string;
let daemon: Daemon;
let client: ShoalClient;
let engine: { close(): Promise<void> };
const nodes: HollowNode[] = [];
const path = process.env.PATH;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shoal-hollow-'));
  process.env.PATH = `${noopIptablesDir(join(dir, 'bin'))}:${path}`;
  const served = await serveEmptyEngine(join(dir, 'engine.sock'));
  engine = served;
  const socket = join(dir, 'shoald.sock');
  daemon = new Daemon({ dataDir: join(dir, 'data'), socket, hostname: 'm0', listenAddr: ADDR, advertiseAddr: ADDR, dockerHost: served.url, log: createLogger('silent') });
  await daemon.start();
  client = new ShoalClient(`unix://${socket}`);
  await client.swarmInit(ADDR, ADDR);
  const manager = (await client.listNodes())[0]!;
  await client.updateNode(manager.id, { availability: 'drain' });
  const { worker } = await client.joinTokens('');
  // The join throttle lets 10 joins from one address in at once: 5 at a time.
  for (let i = 0; i < NODES; i += 5) {
    const batch = await Promise.all([0, 1, 2, 3, 4].map((k) => joinHollow({ remoteAddr: ADDR, token: worker, hostname: `hollow-${i + k}` })));
    for (const [k, membership] of batch.entries()) {
      const node = new HollowNode({ membership, hostname: `hollow-${i + k}`, fail: { images: ['broken:1'] } });
      await node.start();
      nodes.push(node);
    }
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  client?.close();
  await daemon?.stop();
  await engine?.close();
  process.env.PATH = path;
  rmSync(dir, { recursive: true, force: true });
});

const tasksOf = async (service: string): Promise<Task[]> => client.listTasks({ service });

describe('hollow nodes against a real manager', () => {
  it('each join with a certificate of their own, run tasks, and fail the task they are told to', async () => {
    await pollUntil('20 hollow nodes ready', async () => ((await client.listNodes()).filter((n) => n.spec.role === 'worker' && n.status.state === 'ready').length === NODES ? true : undefined));
    await client.createService(serviceSpec({ name: 'web', replicas: 2 * NODES }));
    await client.createService(serviceSpec({ name: 'broken', image: 'broken:1', restartPolicy: { ...DEFAULT_RESTART_POLICY, condition: 'none' } }));

    const running = await pollUntil('40 web tasks running', async () => {
      const ts = (await tasksOf('web')).filter((t) => t.status.state === 'running');
      return ts.length === 2 * NODES ? ts : undefined;
    });
    const failed = await pollUntil('the broken task failed', async () => (await tasksOf('broken')).find((t) => t.status.state === 'failed'));

    const ids = new Set(nodes.map((n) => n.nodeId));
    expect(ids.size).toBe(NODES);
    expect(new Set(running.map((t) => t.nodeId))).toEqual(ids);
    expect(nodes.reduce((sum, n) => sum + n.running(), 0)).toBe(2 * NODES);
    expect(failed.status.exitCode).toBe(1);
    expect(ids.has(failed.nodeId)).toBe(true);
  });
});

/** Polls an async probe every 50 ms until it gives a value (fixtures' `until` is synchronous). */
async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
