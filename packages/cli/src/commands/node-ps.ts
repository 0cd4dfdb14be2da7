import type { Command } from 'commander';
import { listingOptions, type Cli, type ListFlags } from '../context.js';
import { orFilter, printTasks, resolveNodeRef } from './shared.js';

export function registerNodePs(node: Command, cli: Cli): void {
  listingOptions(node.command('ps').description('List tasks running on one or more nodes, defaults to the current node'))
    .argument('[node...]', 'node ID or hostname, or "self"')
    .option('--no-trunc', 'do not truncate output')
    .action(async (refs: string[], flags: ListFlags) => {
      const ids = await Promise.all((refs.length > 0 ? refs : ['self']).map((r) => resolveNodeRef(cli, r)));
      await printTasks(cli, { node: orFilter(ids) }, flags);
    });
}
