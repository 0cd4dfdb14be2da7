import type { Command } from 'commander';
import type { ShoalClient } from './io/client.js';
import type { loadStack, loadStackConfig } from './io/load-stack.js';
import type { waitForConvergence } from './io/wait-converge.js';

/**
 * What every command needs from the composition root: a daemon client (made on first use, for the
 * host given by -H / SHOAL_HOST), output streams, the wall clock and the I/O of compose files.
 */
export interface Cli {
  client(): ShoalClient;
  out(line: string): void;
  err(line: string): void;
  now(): number;
  /** Compose files read from disk (and stdin) and services watched until they converge. */
  io: { loadStack: typeof loadStack; loadStackConfig: typeof loadStackConfig; waitForConvergence: typeof waitForConvergence };
}

/** Commander options of listing commands. */
export interface ListFlags {
  quiet?: boolean;
  format?: string;
  filter?: string[];
  noTrunc?: boolean;
  trunc?: boolean;
}

/** Adds `-q`, `--format` and `--filter` the way every listing has them. */
export function listingOptions(cmd: Command, opts: { filter?: boolean; quiet?: boolean } = {}): Command {
  if (opts.quiet !== false) cmd.option('-q, --quiet', 'only display IDs');
  cmd.option('--format <format>', 'output format: "table" (default) or "json" (one object per line)');
  if (opts.filter !== false) cmd.option('-f, --filter <filter>', 'filter output by condition (key=value); repeatable', (v: string, p: string[] | undefined) => [...(p ?? []), v]);
  return cmd;
}
