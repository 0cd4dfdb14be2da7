import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { forEachReportingErrors } from './failures.js';

export function registerStackRm(stack: Command, cli: Cli): void {
  stack
    .command('rm')
    .alias('remove')
    .alias('down')
    .description('Remove one or more stacks')
    .argument('<stack...>', 'stack name')
    .action(async (names: string[]) => {
      const client = cli.client();
      await forEachReportingErrors(names, async (name) => {
        const services = await client.listServices({ stack: name });
        if (services.length === 0) return cli.err(`Nothing found in stack: ${name}`);
        const sorted = [...services].sort((a, b) => a.spec.annotations.name.localeCompare(b.spec.annotations.name));
        await forEachReportingErrors(sorted, async (s) => {
          cli.out(`Removing service ${s.spec.annotations.name}`);
          await client.removeService(s.id);
        });
      });
    });
}
