import type { Command } from 'commander';
import { listingOptions, type Cli, type ListFlags } from '../context.js';
import { parseFilters } from '../parse/key-value.js';
import { renderListing } from '../render/listing.js';
import { nodeListing, sortNodes } from '../render/nodes.js';

export function registerNodeLs(node: Command, cli: Cli): void {
  listingOptions(node.command('ls').alias('list').description('List nodes in the swarm')).action(async (flags: ListFlags) => {
    const client = cli.client();
    const [nodes, info] = await Promise.all([client.listNodes(parseFilters(flags.filter)), client.info()]);
    for (const line of renderListing(sortNodes(nodes), nodeListing(info.nodeId), flags)) cli.out(line);
  });
}
