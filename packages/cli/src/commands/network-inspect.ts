import type { Command } from 'commander';
import type { Network } from '@shoal/common';
import type { Cli } from '../context.js';
import { renderInspect } from '../render/inspect.js';
import { inspectNetwork, usesNetwork } from '../render/networks.js';

export function registerNetworkInspect(network: Command, cli: Cli): void {
  network
    .command('inspect')
    .description('Display detailed information on one or more networks')
    .argument('<network...>', 'network name or ID')
    .action(async (refs: string[]) => {
      const client = cli.client();
      const networks: Network[] = [];
      for (const ref of refs) networks.push(await client.getNetwork(ref));
      const [services, nodes] = await Promise.all([client.listServices(), client.listNodes()]);
      // Only the tasks of services on these networks are fetched, through the service index.
      const ids = services.filter((s) => networks.some((n) => usesNetwork(s, n))).map((s) => s.id);
      const tasks = ids.length > 0 ? await client.listTasks({ service: ids.join(','), 'desired-state': 'running' }) : [];
      cli.out(renderInspect(networks.map((n) => inspectNetwork(n, services, tasks, nodes))));
    });
}
