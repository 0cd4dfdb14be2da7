import type { Cli } from '../context.js';
import { parseDuration } from '../parse/duration.js';

export const DEFAULT_TIMEOUT = '300s';

/** Waits for services to converge unless detached (Docker's `--detach=false` behaviour). */
export async function converge(cli: Cli, services: readonly string[], opts: { detach?: boolean; timeout?: string }, since: number): Promise<void> {
  if (opts.detach) return;
  const timeoutMs = parseDuration(opts.timeout ?? DEFAULT_TIMEOUT);
  await cli.io.waitForConvergence(cli.client(), { services, timeoutMs, since, print: (l) => cli.out(l) });
}
