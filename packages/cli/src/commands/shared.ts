import type { Task } from '@shoal/common';
import type { Cli, ListFlags } from '../context.js';
import { parseFilters } from '../parse/key-value.js';
import { renderListing } from '../render/listing.js';
import { hostnames } from '../render/services.js';
import { taskListing, taskRows } from '../render/tasks.js';

/** The node ID `self` stands for, as in `docker node inspect self`. */
export async function resolveNodeRef(cli: Cli, ref: string): Promise<string> {
  return ref === 'self' ? (await cli.client().info()).nodeId : ref;
}

/** Prints the tasks a `ps` command lists (service ps, node ps, stack ps) with their filters. */
export async function printTasks(cli: Cli, base: Record<string, string>, flags: ListFlags): Promise<Task[]> {
  const filters = { ...parseFilters(flags.filter), ...base };
  const client = cli.client();
  const [tasks, nodes] = await Promise.all([client.listTasks(filters), client.listNodes()]);
  const noTrunc = flags.trunc === false || flags.noTrunc === true;
  const rows = taskRows(tasks, hostnames(nodes), noTrunc);
  for (const line of renderListing(rows, taskListing(cli.now(), noTrunc), flags)) cli.out(line);
  return tasks;
}

/** Several values of a daemon filter are comma-separated (OR). */
export function orFilter(values: readonly string[]): string {
  return values.join(',');
}
