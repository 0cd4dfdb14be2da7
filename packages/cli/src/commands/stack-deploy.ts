import type { Command } from 'commander';
import type { Cli } from '../context.js';
import type { ShoalClient } from '../io/client.js';
import { collect } from '../parse/key-value.js';
import { computeNetworkPlan } from '../stack/network-plan.js';
import { computeStackPlan, describeAction, type StackAction } from '../stack/plan.js';
import { converge, DEFAULT_TIMEOUT } from './wait.js';

export const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Docker's check on stack names (they prefix service names and labels). */
export function checkStackName(name: string): void {
  if (!STACK_NAME.test(name)) throw new Error(`invalid stack name "${name}": use letters, digits, '_', '.' and '-'`);
}

/** Carries out one step of the plan; returns the ID of the service it changed and leaves running, if any. */
async function apply(client: ShoalClient, action: StackAction): Promise<string | undefined> {
  switch (action.kind) {
    case 'create':
      return (await client.createService(action.spec)).id;
    case 'update':
      return (await client.updateService(action.service.id, action.service.meta.version, action.spec)).id;
    case 'unchanged':
      // Nothing was asked of it, so there is nothing to wait for (a re-deploy of the same files returns at once).
      return undefined;
    case 'remove':
      await client.removeService(action.service.id);
      return undefined;
  }
}

export function registerStackDeploy(stack: Command, cli: Cli): void {
  stack
    .command('deploy')
    .alias('up')
    .description('Deploy a new stack or update an existing stack')
    .argument('<stack>', 'stack name')
    .requiredOption('-c, --compose-file <file>', 'path to a compose file, or "-" to read from stdin; repeatable', collect)
    .option('--prune', 'prune services that are no longer referenced')
    .option('-d, --detach', 'exit immediately instead of waiting for the stack services to converge')
    .option('--timeout <d>', 'how long to wait for convergence', DEFAULT_TIMEOUT)
    .action(async (name: string, opts: { composeFile: string[]; prune?: boolean; detach?: boolean; timeout: string }) => {
      checkStackName(name);
      const { specs, networks, externalNetworks, warnings } = await cli.io.loadStack(opts.composeFile, name);
      for (const w of warnings) cli.err(w);
      const client = cli.client();
      const [existing, existingNetworks] = await Promise.all([client.listServices({ stack: name }), client.listNetworks()]);
      // Every check is made before anything changes: a missing external network stops the deploy at once.
      const networkPlan = computeNetworkPlan(name, networks, externalNetworks, existingNetworks);
      const plan = computeStackPlan(name, specs, existing, opts.prune ?? false);
      for (const action of networkPlan) {
        if (action.kind !== 'create') continue;
        cli.out(`Creating network ${action.name}`);
        await client.createNetwork(action.spec);
      }
      const since = cli.now();
      const watched: string[] = [];
      for (const action of plan) {
        cli.out(describeAction(action));
        const id = await apply(client, action);
        if (id) watched.push(id);
      }
      await converge(cli, watched, opts, since);
    });
}
