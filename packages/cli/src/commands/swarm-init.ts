import type { Command } from 'commander';
import type { Cli } from '../context.js';

export function registerSwarmInit(swarm: Command, cli: Cli): void {
  swarm
    .command('init')
    .description('Initialize a swarm: this node becomes its first manager')
    .option('--advertise-addr <addr>', 'address advertised to other members of the swarm')
    .option('--listen-addr <addr>', 'listen address for node-to-node traffic (default: the --listen-addr of shoald)')
    .option('--force-new-cluster', 'force create a new cluster from the current state')
    .action(async (opts: { advertiseAddr?: string; listenAddr?: string; forceNewCluster?: boolean }) => {
      const reply = await cli.client().swarmInit(opts.advertiseAddr ?? '', opts.listenAddr ?? '', opts.forceNewCluster ?? false);
      cli.out(`Swarm initialized: current node (${reply.nodeId}) is now a manager.`);
    });
}
