import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { converge, DEFAULT_TIMEOUT } from './wait.js';

export function registerServiceRollback(service: Command, cli: Cli): void {
  service
    .command('rollback')
    .description('Revert changes to a service\'s configuration')
    .argument('<service>', 'service name or ID')
    .option('-d, --detach', 'exit immediately instead of waiting for the service to converge')
    .option('--timeout <d>', 'how long to wait for convergence', DEFAULT_TIMEOUT)
    .action(async (ref: string, opts: { detach?: boolean; timeout: string }) => {
      const since = cli.now();
      const service = await cli.client().rollbackService(ref);
      cli.out(ref);
      cli.out('rollback: manually requested rollback');
      await converge(cli, [service.id], opts, since);
    });
}
