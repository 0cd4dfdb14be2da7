import type { Command } from 'commander';
import { listingOptions, type Cli, type ListFlags } from '../context.js';
import { printTasks } from './shared.js';

export function registerStackPs(stack: Command, cli: Cli): void {
  listingOptions(stack.command('ps').description('List the tasks in the stack'))
    .argument('<stack>', 'stack name')
    .option('--no-trunc', 'do not truncate output')
    .action(async (name: string, flags: ListFlags) => {
      const services = await cli.client().listServices({ stack: name });
      if (services.length === 0) throw new Error(`nothing found in stack: ${name}`);
      await printTasks(cli, { stack: name }, flags);
    });
}
