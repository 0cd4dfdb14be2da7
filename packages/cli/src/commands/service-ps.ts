import type { Command } from 'commander';
import { listingOptions, type Cli, type ListFlags } from '../context.js';
import { orFilter, printTasks } from './shared.js';

export function registerServicePs(service: Command, cli: Cli): void {
  listingOptions(service.command('ps').description('List the tasks of one or more services'))
    .argument('<service...>', 'service name or ID')
    .option('--no-trunc', 'do not truncate output')
    .action(async (refs: string[], flags: ListFlags) => {
      // Resolving each reference first gives "service X not found" for a bad name.
      const services = await Promise.all(refs.map((r) => cli.client().getService(r)));
      await printTasks(cli, { service: orFilter(services.map((s) => s.id)) }, flags);
    });
}
