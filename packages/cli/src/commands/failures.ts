import type { Cli } from '../context.js';
import { errorLine } from '../render/error-line.js';

/** Runs `fn` for every item, carrying on past failures; then fails once, with every message on one line. */
export async function forEachReportingErrors<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  const errors: string[] = [];
  for (const item of items) {
    try {
      await fn(item);
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (errors.length > 0) throw new Error(errors.join('; '));
}

/**
 * Runs `fn` for every item, carrying on past failures, with one `Error: ...` line per failure
 * (as `docker network rm` prints them): all but the last are printed here, the last is thrown,
 * so the command exits 1 when any failed.
 */
export async function forEachReportingEachError<T>(cli: Cli, items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let last: unknown;
  for (const item of items) {
    try {
      await fn(item);
    } catch (e) {
      if (last !== undefined) cli.err(errorLine(last));
      last = e;
    }
  }
  if (last !== undefined) throw last;
}
