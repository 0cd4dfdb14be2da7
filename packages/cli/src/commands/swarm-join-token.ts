import type { Command } from 'commander';
import { invalidArgument } from '@shoal/common';
import type { Cli } from '../context.js';

/** Docker's `swarm join-token`: prints the command a new node runs, or only the token with -q. */
export function registerSwarmJoinToken(swarm: Command, cli: Cli): void {
  swarm
    .command('join-token')
    .description('Manage join tokens')
    .argument('<role>', 'worker or manager')
    .option('-q, --quiet', 'only display token')
    .option('--rotate', 'rotate join token')
    .action(async (role: string, opts: { quiet?: boolean; rotate?: boolean }) => {
      if (role !== 'worker' && role !== 'manager') throw invalidArgument(`unknown role ${role}`);
      const reply = await cli.client().joinTokens(opts.rotate ? role : '');
      const token = role === 'worker' ? reply.worker : reply.manager;
      if (opts.rotate && !opts.quiet) cli.out(`Successfully rotated ${role} join token.\n`);
      if (opts.quiet) {
        cli.out(token);
        return;
      }
      cli.out(`To add a ${role} to this swarm, run the following command:\n`);
      cli.out(`    shoal swarm join --token ${token} ${reply.managerAddrs[0] ?? 'MANAGER:4242'}\n`);
    });
}
