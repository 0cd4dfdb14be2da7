import type { Command } from 'commander';
import type { Node } from '@shoal/common';
import type { Cli } from '../context.js';
import { prettyNode, renderInspect } from '../render/inspect.js';
import { resolveNodeRef } from './shared.js';

export function registerNodeInspect(node: Command, cli: Cli): void {
  node
    .command('inspect')
    .description('Display detailed information on one or more nodes ("self" is this node)')
    .argument('<node...>', 'node ID or hostname, or "self"')
    .option('--pretty', 'print the information in a human friendly format')
    .action(async (refs: string[], opts: { pretty?: boolean }) => {
      const nodes: Node[] = [];
      for (const ref of refs) nodes.push(await cli.client().getNode(await resolveNodeRef(cli, ref)));
      if (!opts.pretty) return cli.out(renderInspect(nodes));
      nodes.forEach((n, i) => {
        if (i > 0) cli.out('');
        prettyNode(n).forEach((l) => cli.out(l));
      });
    });
}
