import type { Command } from 'commander';
import { LABEL_STACK, type Network } from '@shoal/common';
import type { Cli } from '../context.js';
import { LABEL_STACK_NAMESPACE } from '../network/network-spec.js';
import { forEachReportingErrors } from './failures.js';

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The stack's networks: those labelled with it, as `stack deploy` creates them. */
export function stackNetworksOf(networks: readonly Network[], stack: string): Network[] {
  return networks.filter((n) => n.spec.annotations.labels[LABEL_STACK_NAMESPACE] === stack || n.spec.annotations.labels[LABEL_STACK] === stack);
}

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
        const [services, allNetworks] = await Promise.all([client.listServices({ stack: name }), client.listNetworks()]);
        const networks = stackNetworksOf(allNetworks, name);
        if (services.length === 0 && networks.length === 0) return cli.err(`Nothing found in stack: ${name}`);
        const sorted = services.map((s) => ({ name: s.spec.annotations.name, id: s.id })).sort(byName);
        await forEachReportingErrors(sorted, async (s) => {
          cli.out(`Removing service ${s.name}`);
          await client.removeService(s.id);
        });
        // After the services: the manager refuses to remove a network a service still uses.
        const nets = networks.map((n) => ({ name: n.spec.annotations.name, id: n.id })).sort(byName);
        await forEachReportingErrors(nets, async (n) => {
          cli.out(`Removing network ${n.name}`);
          await client.removeNetwork(n.id);
        });
      });
    });
}
