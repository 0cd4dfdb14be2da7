import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { forEachReportingEachError } from './failures.js';

export function registerNetworkRm(network: Command, cli: Cli): void {
  network
    .command('rm')
    .alias('remove')
    .description('Remove one or more networks')
    .argument('<network...>', 'network name or ID')
    .action(async (refs: string[]) => {
      const client = cli.client();
      await forEachReportingEachError(cli, refs, async (ref) => {
        await client.removeNetwork(ref);
        cli.out(ref);
      });
    });
}
