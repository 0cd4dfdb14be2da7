import type { Command } from 'commander';
import type { Service } from '@shoal/common';
import type { Cli } from '../context.js';
import { inspectService, prettyService, renderInspect } from '../render/inspect.js';

export function registerServiceInspect(service: Command, cli: Cli): void {
  service
    .command('inspect')
    .description('Display detailed information on one or more services')
    .argument('<service...>', 'service name or ID')
    .option('--pretty', 'print the information in a human friendly format')
    .action(async (refs: string[], opts: { pretty?: boolean }) => {
      const services: Service[] = [];
      for (const ref of refs) services.push(await cli.client().getService(ref));
      if (!opts.pretty) return cli.out(renderInspect(services.map(inspectService)));
      services.forEach((s, i) => {
        if (i > 0) cli.out('');
        prettyService(s).forEach((l) => cli.out(l));
      });
    });
}
