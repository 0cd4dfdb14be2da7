import { readFileSync } from 'node:fs';
import { ERROR_CODES, ShoalError, type NodeDescription } from '@shoal/common';
import type { DockerExecutor } from '@shoal/worker';

/** shoald's version from its package.json: `Info` reports it, so a CLI can say which versions differ. */
export const VERSION = ((): string => {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
})();

/** Docker Engine must answer before the node can take tasks: say so in one line if it does not. */
export async function describeEngine(executor: DockerExecutor, dockerHost: string): Promise<NodeDescription> {
  try {
    return await executor.describe();
  } catch (e) {
    throw new ShoalError(ERROR_CODES.UNAVAILABLE, `cannot reach Docker Engine at ${dockerHost}: ${(e as Error).message}`);
  }
}
