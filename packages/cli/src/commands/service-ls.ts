import type { Command } from 'commander';
import { listingOptions, type Cli, type ListFlags } from '../context.js';
import { parseFilters } from '../parse/key-value.js';
import { renderListing } from '../render/listing.js';
import { serviceListing, serviceRows } from '../render/services.js';

/** Lists services with their replica counts; shared by `service ls` and `stack services`. */
export async function printServices(cli: Cli, filters: Record<string, string>, flags: ListFlags, emptyNote?: string): Promise<void> {
  const client = cli.client();
  const services = await client.listServices(filters);
  if (services.length === 0 && emptyNote) return cli.err(emptyNote);
  // Replica counts need the tasks; -q does not.
  const tasks = flags.quiet || services.length === 0 ? [] : await client.listTasks(filters.stack ? { stack: filters.stack } : {});
  for (const line of renderListing(serviceRows(services, tasks), serviceListing, flags)) cli.out(line);
}

export function registerServiceLs(service: Command, cli: Cli): void {
  listingOptions(service.command('ls').alias('list').description('List services')).action(async (flags: ListFlags) => {
    await printServices(cli, parseFilters(flags.filter), flags);
  });
}
