import type { Command } from 'commander';
import { listingOptions, type Cli, type ListFlags } from '../context.js';
import { parseFilters } from '../parse/key-value.js';
import { printServices } from './service-ls.js';

export function registerStackServices(stack: Command, cli: Cli): void {
  listingOptions(stack.command('services').description('List the services in the stack'))
    .argument('<stack>', 'stack name')
    .action(async (name: string, flags: ListFlags) => {
      // Docker says so on stderr, with no table, and exits 0.
      await printServices(cli, { ...parseFilters(flags.filter), stack: name }, flags, `Nothing found in stack: ${name}`);
    });
}
