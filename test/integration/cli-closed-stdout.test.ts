import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import * as grpcJs from '@grpc/grpc-js';
import { LABEL_STACK, seededRng, type ServiceSpec } from '@shoal/common';
import type { SwarmHandlers } from '@shoal/common/rpc';
import { Manager, controlHandlers } from '@shoal/manager';
import { createService } from '../../packages/manager/src/control/services.js';
import { serveLocalApi, shutdownServer } from '../../packages/daemon/src/local-api.js';
import { quiet, serviceSpec } from './fixtures.js';

/**
 * `shoal stack rm demo | head -0`: the reader is gone before the first line. The CLI (from its
 * sources, through tsx) talks to a real manager's control API on a unix socket.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const spec = (name: string): ServiceSpec => serviceSpec({ name, replicas: 0, labels: { [LABEL_STACK]: 'demo' } });

interface Run {
  code: number | null;
  stderr: string;
}

/** Runs the CLI with its stdout's read end closed at once (as `| head -0` does). */
function runWithClosedStdout(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

let dir: string;
let manager: Manager;
let server: grpc.Server;
let socket: string;

describe('the CLI with a closed stdout', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-epipe-'));
    socket = join(dir, 'shoal.sock');
    manager = await Manager.open({
      dataDir: join(dir, 'manager'), nodeId: 'n1', addr: '127.0.0.1:0', clock: { now: () => Date.now() }, rng: seededRng(1), log: quiet, identify: () => 'n1',
      credentials: () => grpcJs.credentials.createInsecure(),
    });
    await manager.bootstrap({ clusterId: 'c1', nodeId: 'n1', hostname: 'one', addr: '127.0.0.1' });
    await manager.waitUntilLeader(10_000);
    const control = controlHandlers(() => manager.store, seededRng(2), () => 'token');
    server = await serveLocalApi(socket, {} as SwarmHandlers, control);
  }, 30_000);

  afterAll(async () => {
    await shutdownServer(server);
    await manager.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stack rm removes every service, prints no stack trace and exits 0', async () => {
    const rng = seededRng(3);
    for (const name of ['demo_a', 'demo_b', 'demo_c', 'demo_d']) await createService(manager.store, rng, spec(name));
    expect(manager.store.view().list('services')).toHaveLength(4);

    const run = await runWithClosedStdout(['-H', `unix://${socket}`, 'stack', 'rm', 'demo']);

    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(run.code).toBe(0);
    expect(manager.store.view().list('services')).toEqual([]);
  }, 30_000);

  it('help and stack config into a closed pipe exit 0 without a word', async () => {
    expect(await runWithClosedStdout(['--help'])).toEqual({ code: 0, stderr: '' });
    const run = await runWithClosedStdout(['stack', 'config', '-c', 'examples/hello/compose.yml']);
    expect(run).toEqual({ code: 0, stderr: '' });
  }, 30_000);
});
