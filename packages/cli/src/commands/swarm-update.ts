import type { Command } from 'commander';
import { invalidArgument } from '@shoal/common';
import type { Cli } from '../context.js';
import { parseCount } from '../parse/key-value.js';

/** Docker's `swarm update`: changes cluster settings; shoal's one so far is the replica limit. */
export function registerSwarmUpdate(swarm: Command, cli: Cli): void {
  swarm
    .command('update')
    .description('Update the swarm')
    .option('--max-replicas <n>', 'the most replicas one service may have (default 100000)')
    .action(async (opts: { maxReplicas?: string }) => {
      const maxReplicas = opts.maxReplicas === undefined ? 0 : parseCount(opts.maxReplicas, 'max replicas');
      if (opts.maxReplicas !== undefined && maxReplicas === 0) throw invalidArgument('invalid max replicas 0: must be at least 1');
      const client = cli.client();
      const cluster = await client.cluster();
      await client.updateCluster(cluster.meta.version, { maxReplicas });
      cli.out('Swarm updated.');
    });
}
