import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { collect, keyValues } from '../parse/key-value.js';
import { resolveNodeRef } from './shared.js';

const AVAILABILITIES = ['active', 'pause', 'drain'];

export function registerNodeUpdate(node: Command, cli: Cli): void {
  node
    .command('update')
    .description('Update a node')
    .argument('<node>', 'node ID or hostname, or "self"')
    .option('--availability <availability>', 'availability of the node ("active", "pause", "drain")')
    .option('--label-add <label>', 'add or update a node label (key=value); repeatable', collect)
    .option('--label-rm <key>', 'remove a node label if it exists; repeatable', collect)
    .option('--role <role>', 'role of the node ("worker", "manager")')
    .action(async (ref: string, opts: { availability?: string; labelAdd?: string[]; labelRm?: string[]; role?: string }) => {
      if (opts.availability && !AVAILABILITIES.includes(opts.availability)) {
        throw new Error(`invalid availability "${opts.availability}": use active, pause or drain`);
      }
      const id = await resolveNodeRef(cli, ref);
      await cli.client().updateNode(id, {
        ...(opts.availability ? { availability: opts.availability } : {}),
        ...(opts.role ? { role: opts.role } : {}),
        labelAdd: keyValues(opts.labelAdd, 'label'),
        labelRm: opts.labelRm ?? [],
      });
      cli.out(ref);
    });
}
