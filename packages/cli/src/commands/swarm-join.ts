import type { Command } from 'commander';
import type { Cli } from '../context.js';

export function registerSwarmJoin(swarm: Command, cli: Cli): void {
  swarm
    .command('join')
    .description('Join a swarm as a node and/or manager')
    .argument('<host:port>', 'address of a manager of the swarm')
    .requiredOption('--token <token>', 'token for entry into the swarm')
    .option('--advertise-addr <addr>', 'address advertised to other members of the swarm')
    .option('--listen-addr <addr>', 'listen address for node-to-node traffic (default: the --listen-addr of shoald)')
    .action(async (remote: string, opts: { token: string; advertiseAddr?: string; listenAddr?: string }) => {
      const reply = await cli.client().swarmJoin(remote, opts.token, opts.advertiseAddr ?? '', opts.listenAddr ?? '');
      cli.out(reply.role === 'manager' ? 'This node joined a swarm as a manager.' : 'This node joined a swarm as a worker.');
    });
}
