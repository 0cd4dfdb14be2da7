import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { forEachReportingErrors } from './failures.js';

export function registerServiceRm(service: Command, cli: Cli): void {
  service
    .command('rm')
    .alias('remove')
    .description('Remove one or more services')
    .argument('<service...>', 'service name or ID')
    .action(async (refs: string[]) => {
      await forEachReportingErrors(refs, async (ref) => {
        await cli.client().removeService(ref);
        cli.out(ref);
      });
    });
}
