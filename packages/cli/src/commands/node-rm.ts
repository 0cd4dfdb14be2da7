import type { Command } from 'commander';
import type { Cli } from '../context.js';

export function registerNodeRm(node: Command, cli: Cli): void {
  node
    .command('rm')
    .alias('remove')
    .description('Remove one or more nodes from the swarm')
    .argument('<node...>', 'node ID or hostname')
    .option('-f, --force', 'force remove a node from the swarm')
    .action(async (refs: string[], opts: { force?: boolean }) => {
      let failed: unknown;
      for (const ref of refs) {
        try {
          await cli.client().removeNode(ref, opts.force ?? false);
          cli.out(ref);
        } catch (e) {
          failed ??= e;
        }
      }
      if (failed) throw failed;
    });
}
