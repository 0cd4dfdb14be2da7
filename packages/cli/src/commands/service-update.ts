import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { collect } from '../parse/key-value.js';
import { applyServiceUpdate, type UpdateOptions } from '../service/build-spec.js';
import { converge, DEFAULT_TIMEOUT } from './wait.js';

export function registerServiceUpdate(service: Command, cli: Cli): void {
  service
    .command('update')
    .description('Update a service')
    .argument('<service>', 'service name or ID')
    .option('--image <image>', 'service image tag')
    .option('--replicas <n>', 'number of tasks')
    .option('--env-add <var>', 'add or update an environment variable (K=V); repeatable', collect)
    .option('--env-rm <key>', 'remove an environment variable; repeatable', collect)
    .option('--label-add <label>', 'add or update a service label; repeatable', collect)
    .option('--label-rm <key>', 'remove a service label; repeatable', collect)
    .option('--constraint-add <expr>', 'add a placement constraint; repeatable', collect)
    .option('--constraint-rm <expr>', 'remove a placement constraint; repeatable', collect)
    .option('--publish-add <port>', 'add a published port; repeatable', collect)
    .option('--publish-rm <target>', 'remove a published port by its target port; repeatable', collect)
    .option('--network-add <network>', 'add a network: NAME or name=NAME,alias=ALIAS; repeatable', collect)
    .option('--network-rm <network>', 'remove a network by name; repeatable', collect)
    .option('--endpoint-mode <mode>', 'endpoint mode ("vip" or "dnsrr")')
    .option('--force', 'force an update even if no changes require it')
    .option('-d, --detach', 'exit immediately instead of waiting for the service to converge')
    .option('--timeout <d>', 'how long to wait for convergence', DEFAULT_TIMEOUT)
    .action(async (ref: string, opts: UpdateOptions & { detach?: boolean; timeout: string }) => {
      const client = cli.client();
      const current = await client.getService(ref);
      const spec = applyServiceUpdate(current.spec, opts);
      const since = cli.now();
      await client.updateService(current.id, current.meta.version, spec);
      cli.out(ref);
      await converge(cli, [current.id], opts, since);
    });
}
