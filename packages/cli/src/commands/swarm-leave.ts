import type { Command } from 'commander';
import type { Cli } from '../context.js';

export function registerSwarmLeave(swarm: Command, cli: Cli): void {
  swarm
    .command('leave')
    .description('Leave the swarm')
    .option('-f, --force', 'force this node to leave the swarm, ignoring warnings')
    .action(async (opts: { force?: boolean }) => {
      await cli.client().swarmLeave(opts.force ?? false);
      cli.out('Node left the swarm.');
    });
}
