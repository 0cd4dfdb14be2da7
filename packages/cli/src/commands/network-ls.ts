import type { Command } from 'commander';
import { listingOptions, type Cli, type ListFlags } from '../context.js';
import { parseFilters } from '../parse/key-value.js';
import { renderListing } from '../render/listing.js';
import { filterNetworks, networkListing, sortNetworks } from '../render/networks.js';

export function registerNetworkLs(network: Command, cli: Cli): void {
  listingOptions(network.command('ls').alias('list').description('List networks'))
    .option('--no-trunc', 'do not truncate the output')
    .action(async (flags: ListFlags) => {
      // Filters are applied here, with Docker's meaning (name is a substring, id a prefix).
      const filters = parseFilters(flags.filter);
      const networks = sortNetworks(filterNetworks(await cli.client().listNetworks(), filters));
      const noTrunc = flags.trunc === false || flags.noTrunc === true;
      for (const line of renderListing(networks, networkListing(noTrunc), flags)) cli.out(line);
    });
}
