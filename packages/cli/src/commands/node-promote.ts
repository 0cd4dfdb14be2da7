import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { resolveNodeRef } from './shared.js';

/** `node promote` and `node demote`: Docker's shorthands for `node update --role`, with its messages. */
export function registerNodePromoteDemote(node: Command, cli: Cli): void {
  node
    .command('promote')
    .description('Promote one or more nodes to manager in the swarm')
    .argument('<node...>', 'node IDs or hostnames')
    .action(async (refs: string[]) => {
      for (const ref of refs) {
        const id = await resolveNodeRef(cli, ref);
        const current = await cli.client().getNode(id);
        if (current.spec.role === 'manager') {
          cli.out(`Node ${ref} is already a manager.`);
          continue;
        }
        await cli.client().updateNode(id, { role: 'manager', labelAdd: {}, labelRm: [] });
        cli.out(`Node ${ref} promoted to a manager in the swarm.`);
      }
    });
  node
    .command('demote')
    .description('Demote one or more nodes from manager in the swarm')
    .argument('<node...>', 'node IDs or hostnames')
    .action(async (refs: string[]) => {
      for (const ref of refs) {
        const id = await resolveNodeRef(cli, ref);
        const current = await cli.client().getNode(id);
        if (current.spec.role === 'worker') {
          cli.out(`Node ${ref} is already a worker.`);
          continue;
        }
        await cli.client().updateNode(id, { role: 'worker', labelAdd: {}, labelRm: [] });
        cli.out(`Manager ${ref} demoted in the swarm.`);
      }
    });
}
