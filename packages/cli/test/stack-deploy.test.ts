import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Network, NetworkSpec, Service, ServiceSpec, Task } from '@shoal/common';
import type { Cli } from '../src/context.js';
import type { ShoalClient } from '../src/io/client.js';
import { loadStack, loadStackConfig } from '../src/io/load-stack.js';
import { waitForConvergence } from '../src/io/wait-converge.js';
import { registerStackDeploy } from '../src/commands/stack-deploy.js';
import { network, networkSpec, node, service, task } from './fixtures.js';

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
function fakeDaemon(existing: Service[], tasks: (services: Service[]) => Task[] = () => [], existingNetworks: Network[] = []) {
  const calls: string[] = [];
  const services = new Map(existing.map((s) => [s.id, s]));
  const networks = [...existingNetworks];
  const client = {
    listNetworks: async () => [...networks],
    createNetwork: async (spec: NetworkSpec) => {
      calls.push(`create network ${spec.annotations.name}`);
      const n = network(`net-${spec.annotations.name}`, spec);
      networks.push(n);
      return n;
    },
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

async function deploy(cli: Cli, file: string, timeout = '2s', ...flags: string[]): Promise<void> {
  const program = new Command('shoal').exitOverride();
  registerStackDeploy(program.command('stack'), cli);
  await program.parseAsync(['stack', 'deploy', '-c', file, '--timeout', timeout, ...flags, 'st'], { from: 'user' });
}

async function stored(file: string): Promise<Service[]> {
  const { specs } = await loadStack([file], 'st');
  return specs.map((s) => service(`id-${s.annotations.name}`, s));
}

/** The networks a deploy of `file` left behind. */
async function storedNetworks(file: string): Promise<Network[]> {
  const { networks } = await loadStack([file], 'st');
  return networks.map((s, i) => network(`net-${s.annotations.name}`, s, i + 1));
}

describe('stack deploy', () => {
  it('waits for nothing when nothing changed', async () => {
    const file = composeFile('web:1');
    const { cli, calls, out } = fakeDaemon(await stored(file), undefined, await storedNetworks(file));
    await deploy(cli, file);
    expect(calls).toEqual([]);
    expect(out).toEqual(['Service st_db is unchanged', 'Service st_web is unchanged']);
  });

  it('waits only for the services it changed', async () => {
    const file = composeFile('web:2');
    const old = await stored(composeFile('web:1'));
    const missing = (services: Service[]) =>
      services.filter((s) => s.id === 'id-st_web').map((s) => task('t1', s, { state: 'rejected', desired: 'running', at: Date.now(), err: 'No such image: web:2 (and it could not be pulled: no such host)' }));
    const { cli, calls } = fakeDaemon(old, missing, await storedNetworks(file));
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

function networksFile(name: string, networksYaml: string): string {
  const path = join(dir, name);
  writeFileSync(path, `services:\n  web:\n    image: web:1\n    networks: [back, shared]\n    deploy: {endpoint_mode: dnsrr}\n  db:\n    image: db:1\n    networks: [back]\nnetworks:\n${networksYaml}`);
  return path;
}

const BACK = '  back:\n    internal: true\n    driver_opts: {com.docker.network.driver.mtu: 1400}\n    ipam: {config: [{subnet: 10.20.0.0/24}]}\n';
const SHARED = '  shared:\n    external: true\n';
const running = (services: Service[]) => services.map((s, i) => task(`t${i}`, s, { state: 'running', at: Date.now() }));

describe('stack deploy with networks', () => {
  it('creates the stack\'s networks before its services, labelled with the stack', async () => {
    const file = networksFile('nets-1.yml', BACK + SHARED);
    const shared = network('net-shared', networkSpec('shared'));
    const { cli, calls, out } = fakeDaemon([], running, [shared]);
    await deploy(cli, file, '2s', '-d');
    expect(calls.filter((c) => c.startsWith('create'))).toEqual(['create network st_back', 'create st_db', 'create st_web']);
    expect(out.slice(0, 3)).toEqual(['Creating network st_back', 'Creating service st_db', 'Creating service st_web']);
    const { networks, specs } = await loadStack([file], 'st');
    expect(networks).toEqual([
      networkSpec('st_back', {
        annotations: { name: 'st_back', labels: { 'com.docker.stack.namespace': 'st', 'io.shoal.stack': 'st' } },
        internal: true,
        driverOpts: { 'com.docker.network.driver.mtu': '1400' },
        ipam: [{ subnet: '10.20.0.0/24' }],
      }),
    ]);
    expect(specs.find((x) => x.annotations.name === 'st_web')!.endpoint.mode).toBe('dnsrr');
  });

  it('leaves an existing network with the same spec alone, whatever subnet the allocator chose', async () => {
    const file = networksFile('nets-2.yml', '  back:\n    internal: true\n' + SHARED);
    const existing = [...(await storedNetworks(file)), network('net-shared', networkSpec('shared'), 9)];
    const { cli, calls, out } = fakeDaemon(await stored(file), undefined, existing);
    await deploy(cli, file);
    expect(calls).toEqual([]);
    expect(out).toEqual(['Service st_db is unchanged', 'Service st_web is unchanged']);
  });

  it('refuses, before changing anything, a network that exists with another spec', async () => {
    const file = networksFile('nets-3.yml', BACK + SHARED);
    const changed = (await storedNetworks(file)).map((n) => ({ ...n, spec: { ...n.spec, internal: false } }));
    const { cli, calls } = fakeDaemon([], running, [...changed, network('net-shared', networkSpec('shared'), 9)]);
    await expect(deploy(cli, file)).rejects.toThrow(
      'network st_back exists with a different internal (false; the compose file says true): networks cannot be updated, remove it first (shoal stack rm st, or shoal network rm st_back)',
    );
    expect(calls).toEqual([]);
  });

  it('refuses a subnet other than the one the network has', async () => {
    const file = networksFile('nets-4.yml', BACK + SHARED);
    const other = (await storedNetworks(file)).map((n) => ({ ...n, spec: { ...n.spec, ipam: [{ subnet: '10.30.0.0/24' }] } }));
    const { cli } = fakeDaemon([], running, [...other, network('net-shared', networkSpec('shared'), 9)]);
    await expect(deploy(cli, file)).rejects.toThrow('network st_back exists with a different subnet (10.30.0.0/24; the compose file says 10.20.0.0/24)');
  });

  it('needs every external network to exist, and says which is missing', async () => {
    const file = networksFile('nets-5.yml', BACK + SHARED);
    const { cli, calls } = fakeDaemon([], running);
    await expect(deploy(cli, file)).rejects.toThrow(/^network shared declared as external, but could not be found$/);
    expect(calls).toEqual([]);
  });
});
