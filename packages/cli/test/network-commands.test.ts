import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { notFound, invalidArgument, type Network, type NetworkSpec, type Service } from '@shoal/common';
import type { Cli } from '../src/context.js';
import type { ShoalClient } from '../src/io/client.js';
import { registerNetworkCreate } from '../src/commands/network-create.js';
import { registerNetworkLs } from '../src/commands/network-ls.js';
import { registerNetworkRm } from '../src/commands/network-rm.js';
import { registerStackRm } from '../src/commands/stack-rm.js';
import { registerSwarmInit } from '../src/commands/swarm-init.js';
import { network, networkSpec, service, spec } from './fixtures.js';

/** A daemon with networks and services; it records what was asked of it. */
function fakeDaemon(networks: Network[], services: Service[] = []) {
  const calls: string[] = [];
  const find = (ref: string) => networks.find((n) => n.id === ref || n.spec.annotations.name === ref);
  const client = {
    listNetworks: async () => [...networks],
    listServices: async (f: Record<string, string> = {}) => services.filter((s) => !f.stack || s.spec.annotations.labels['io.shoal.stack'] === f.stack),
    createNetwork: async (s: NetworkSpec) => {
      calls.push(`create ${JSON.stringify(s)}`);
      return network('new0123456789abcdef', s);
    },
    removeNetwork: async (ref: string) => {
      calls.push(`rm network ${ref}`);
      const n = find(ref);
      if (!n) throw notFound(`network ${ref} not found`);
      if (n.spec.annotations.name === 'busy') throw invalidArgument('network busy is in use by service web');
    },
    removeService: async (id: string) => void calls.push(`rm service ${id}`),
    swarmInit: async (...args: unknown[]) => {
      calls.push(`init ${JSON.stringify(args)}`);
      return { nodeId: 'n1', advertiseAddr: '10.99.0.1:4242' };
    },
    joinTokens: async () => ({ worker: 'TOKEN', manager: 'M' }),
  };
  const out: string[] = [];
  const err: string[] = [];
  const cli = { client: () => client as unknown as ShoalClient, out: (l: string) => out.push(l), err: (l: string) => err.push(l), now: () => Date.now() } as unknown as Cli;
  return { cli, calls, out, err };
}

async function run(cli: Cli, ...argv: string[]): Promise<void> {
  const program = new Command('shoal').exitOverride();
  registerNetworkCreate(program.command('network'), cli);
  const group = program.commands[0]!;
  [registerNetworkLs, registerNetworkRm].forEach((r) => r(group, cli));
  registerStackRm(program.command('stack'), cli);
  registerSwarmInit(program.command('swarm'), cli);
  await program.parseAsync(argv, { from: 'user' });
}

const stackLabels = { 'com.docker.stack.namespace': 'st', 'io.shoal.stack': 'st' };

describe('network commands', () => {
  it('network create sends the spec and prints the ID', async () => {
    const { cli, calls, out } = fakeDaemon([]);
    await run(cli, 'network', 'create', '--attachable', '-o', 'encrypted', '--subnet', '10.20.0.0/24', 'back');
    expect(out).toEqual(['new0123456789abcdef']);
    expect(JSON.parse(calls[0]!.slice('create '.length))).toEqual(networkSpec('back', { attachable: true, driverOpts: { encrypted: '' }, ipam: [{ subnet: '10.20.0.0/24' }] }));
  });

  it('network create -d bridge is refused before anything is sent', async () => {
    const { cli, calls } = fakeDaemon([]);
    await expect(run(cli, 'network', 'create', '-d', 'bridge', 'x')).rejects.toThrow('only overlay networks are cluster-wide');
    expect(calls).toEqual([]);
  });

  it('network ls filters and prints a table', async () => {
    const { cli, out } = fakeDaemon([network('aaaa00000000000001', networkSpec('web_front')), network('bbbb00000000000002', networkSpec('db'))]);
    await run(cli, 'network', 'ls', '--filter', 'name=front');
    expect(out).toEqual(['NETWORK ID     NAME        DRIVER    SCOPE', 'aaaa00000000   web_front   overlay   swarm']);
  });

  it('network rm prints each name, one error line per failure, and fails if any failed', async () => {
    const { cli, out, err } = fakeDaemon([network('id1', networkSpec('a')), network('id2', networkSpec('busy'))]);
    await expect(run(cli, 'network', 'rm', 'nope', 'a', 'busy')).rejects.toThrow(/^network busy is in use by service web$/);
    expect(out).toEqual(['a']);
    expect(err).toEqual(['Error: network nope not found']);
  });
});

describe('stack rm', () => {
  it('removes the services, then the stack\'s networks, as Docker prints it', async () => {
    const svc = service('s1', spec('st_web', {}, 'st'));
    const nets = [network('n2', networkSpec('st_default', { annotations: { name: 'st_default', labels: stackLabels } })), network('n3', networkSpec('other'))];
    const { cli, calls, out } = fakeDaemon(nets, [svc]);
    await run(cli, 'stack', 'rm', 'st');
    expect(out).toEqual(['Removing service st_web', 'Removing network st_default']);
    expect(calls).toEqual(['rm service s1', 'rm network n2']);
  });

  it('removes networks left behind alone, and says when nothing is found', async () => {
    const nets = [network('n2', networkSpec('st_back', { annotations: { name: 'st_back', labels: { 'com.docker.stack.namespace': 'st' } } }))];
    const { cli, out, err } = fakeDaemon(nets);
    await run(cli, 'stack', 'rm', 'st', 'gone');
    expect(out).toEqual(['Removing network st_back']);
    expect(err).toEqual(['Nothing found in stack: gone']);
  });
});

describe('swarm init', () => {
  it('sends the address pools and mask length, checked first', async () => {
    const { cli, calls } = fakeDaemon([]);
    await run(cli, 'swarm', 'init', '--default-addr-pool', '10.10.0.0/16', '--default-addr-pool', '10.20.0.0/16', '--default-addr-pool-mask-len', '26');
    expect(JSON.parse(calls[0]!.slice('init '.length))[4]).toEqual({ cidrs: ['10.10.0.0/16', '10.20.0.0/16'], maskLen: 26 });
    const bad = fakeDaemon([]);
    await expect(run(bad.cli, 'swarm', 'init', '--default-addr-pool-mask-len', '31')).rejects.toThrow('use a number from 8 to 30');
    expect(bad.calls).toEqual([]);
  });

  it('sends --ingress-subnet, checked first', async () => {
    const { cli, calls } = fakeDaemon([]);
    await run(cli, 'swarm', 'init', '--ingress-subnet', '10.11.0.0/16');
    expect(JSON.parse(calls[0]!.slice('init '.length))[5]).toBe('10.11.0.0/16');
    const none = fakeDaemon([]);
    await run(none.cli, 'swarm', 'init');
    expect(JSON.parse(none.calls[0]!.slice('init '.length))[5]).toBe('');
    const bad = fakeDaemon([]);
    await expect(run(bad.cli, 'swarm', 'init', '--ingress-subnet', '10.11.0.1/16')).rejects.toThrow('invalid --ingress-subnet "10.11.0.1/16": host bits are set (did you mean 10.11.0.0/16?)');
    expect(bad.calls).toEqual([]);
  });
});
