import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Service, ServiceSpec, Task } from '@shoal/common';
import type { Cli } from '../src/context.js';
import type { ShoalClient } from '../src/io/client.js';
import { loadStack, loadStackConfig } from '../src/io/load-stack.js';
import { waitForConvergence } from '../src/io/wait-converge.js';
import { registerStackDeploy } from '../src/commands/stack-deploy.js';
import { node, service, task } from './fixtures.js';

/**
 * `stack deploy` against a scripted daemon: which services it waits for, and when it gives up.
 * Timeouts here are short so that the code before the fix (which waited for every service, and
 * for a missing image until the timeout) fails by rejecting with the timeout message.
 */
const dir = mkdtempSync(join(tmpdir(), 'shoal-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function composeFile(image: string): string {
  const path = join(dir, `compose-${image.replace(/[^a-z0-9]/g, '_')}.yml`);
  writeFileSync(path, `services:\n  web:\n    image: ${image}\n  db:\n    image: db:1\n`);
  return path;
}

/** A daemon holding `existing`; it records the calls made to it and answers listTasks with `tasks(service)`. */
function fakeDaemon(existing: Service[], tasks: (services: Service[]) => Task[] = () => []) {
  const calls: string[] = [];
  const services = new Map(existing.map((s) => [s.id, s]));
  const client = {
    listServices: async () => [...services.values()],
    createService: async (spec: ServiceSpec) => {
      calls.push(`create ${spec.annotations.name}`);
      const s = service(`id-${spec.annotations.name}`, spec);
      services.set(s.id, s);
      return s;
    },
    updateService: async (id: string, _v: number, spec: ServiceSpec) => {
      calls.push(`update ${spec.annotations.name}`);
      const s = service(id, spec, 2);
      services.set(id, s);
      return s;
    },
    getService: async (ref: string) => {
      calls.push(`get ${ref}`);
      return services.get(ref)!;
    },
    listTasks: async () => tasks([...services.values()]),
    listNodes: async () => [node('node1', 'h1')],
  };
  const out: string[] = [];
  const cli: Cli = { client: () => client as unknown as ShoalClient, out: (l) => out.push(l), err: (l) => out.push(l), now: () => Date.now(), io: { loadStack, loadStackConfig, waitForConvergence } };
  return { cli, calls, out };
}

async function deploy(cli: Cli, file: string, timeout = '2s'): Promise<void> {
  const program = new Command('shoal').exitOverride();
  registerStackDeploy(program.command('stack'), cli);
  await program.parseAsync(['stack', 'deploy', '-c', file, '--timeout', timeout, 'st'], { from: 'user' });
}

async function stored(file: string): Promise<Service[]> {
  const { specs } = await loadStack([file], 'st');
  return specs.map((s) => service(`id-${s.annotations.name}`, s));
}

describe('stack deploy', () => {
  it('waits for nothing when nothing changed', async () => {
    const file = composeFile('web:1');
    const { cli, calls, out } = fakeDaemon(await stored(file));
    await deploy(cli, file);
    expect(calls).toEqual([]);
    expect(out).toEqual(['Service st_db is unchanged', 'Service st_web is unchanged']);
  });

  it('waits only for the services it changed', async () => {
    const file = composeFile('web:2');
    const old = await stored(composeFile('web:1'));
    const missing = (services: Service[]) =>
      services.filter((s) => s.id === 'id-st_web').map((s) => task('t1', s, { state: 'rejected', desired: 'running', at: Date.now(), err: 'No such image: web:2 (and it could not be pulled: no such host)' }));
    const { cli, calls } = fakeDaemon(old, missing);
    await expect(deploy(cli, file)).rejects.toThrow('service st_web: task failed: No such image: web:2 (and it could not be pulled: no such host)');
    expect(calls.filter((c) => !c.startsWith('get '))).toEqual(['update st_web']);
    expect(new Set(calls.filter((c) => c.startsWith('get ')))).toEqual(new Set(['get id-st_web']));
  });

  it('ends the wait at once when a new service cannot find its image', async () => {
    const file = composeFile('nope:latest');
    const failed = (services: Service[]) => services.map((s, i) => task(`t${i}`, s, { state: 'rejected', at: Date.now(), err: s.spec.task.container.image === 'nope:latest' ? 'No such image: nope:latest' : undefined }));
    const { cli, out } = fakeDaemon([], failed);
    await expect(deploy(cli, file, '3s')).rejects.toThrow(/^service st_web: task failed: No such image: nope:latest$/);
    expect(out).toContain('st_web.1: No such image: nope:latest');
  });
});
