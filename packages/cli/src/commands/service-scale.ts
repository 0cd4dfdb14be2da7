import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { parseScaleArgs } from '../parse/scale.js';
import { forEachReportingErrors } from './failures.js';
import { converge, DEFAULT_TIMEOUT } from './wait.js';

export function registerServiceScale(service: Command, cli: Cli): void {
  service
    .command('scale')
    .description('Scale one or more replicated services')
    .argument('<service=replicas...>', 'e.g. web=5')
    .option('-d, --detach', 'exit immediately instead of waiting for the services to converge')
    .option('--timeout <d>', 'how long to wait for convergence', DEFAULT_TIMEOUT)
    .action(async (args: string[], opts: { detach?: boolean; timeout: string }) => {
      const requests = parseScaleArgs(args);
      const since = cli.now();
      const scaled: string[] = [];
      const client = cli.client();
      let failure: unknown;
      try {
        await forEachReportingErrors(requests, async ({ service: ref, replicas }) => {
          const current = await client.getService(ref);
          if (current.spec.mode.kind !== 'replicated') throw new Error(`${ref}: scale can only be used with replicated or replicated-job mode`);
          await client.updateService(current.id, current.meta.version, { ...current.spec, mode: { kind: 'replicated', replicas } });
          cli.out(`${ref} scaled to ${replicas}`);
          scaled.push(current.id);
        });
      } catch (e) {
        failure = e;
      }
      // Like Docker: report every failure, but still wait for the services that did scale.
      await converge(cli, scaled, opts, since);
      if (failure) throw failure;
    });
}
