import type { Command } from 'commander';
import { listingOptions, type Cli, type ListFlags } from '../context.js';
import { parseFilters } from '../parse/key-value.js';
import { printServices } from './service-ls.js';

export function registerStackServices(stack: Command, cli: Cli): void {
  listingOptions(stack.command('services').description('List the services in the stack'))
    .argument('<stack>', 'stack name')
    .action(async (name: string, flags: ListFlags) => {
      const count = await printServices(cli, { ...parseFilters(flags.filter), stack: name }, flags);
      if (count === 0 && !flags.quiet && flags.format !== 'json') cli.err(`Nothing found in stack: ${name}`);
    });
}
