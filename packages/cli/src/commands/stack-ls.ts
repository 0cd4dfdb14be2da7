import type { Command } from 'commander';
import { listingOptions, type Cli, type ListFlags } from '../context.js';
import { renderListing } from '../render/listing.js';
import { stackListing, stackRows } from '../render/services.js';

export function registerStackLs(stack: Command, cli: Cli): void {
  listingOptions(stack.command('ls').alias('list').description('List stacks'), { filter: false, quiet: false }).action(async (flags: ListFlags) => {
    const services = await cli.client().listServices();
    for (const line of renderListing(stackRows(services), stackListing, flags)) cli.out(line);
  });
}
