import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodeRole } from '@shoal/common';

/**
 * What a node remembers about itself across restarts, in `<data-dir>/node.json`. The cluster's
 * desired state lives in the manager's log, not here.
 */
export interface NodeState {
  nodeId: string;
  swarm?: {
    role: NodeRole;
    clusterId: string;
    advertiseAddr: string;
    listenAddr: string;
    /** Dispatcher addresses the agent connects to. */
    managers: string[];
  };
}

const FILE = 'node.json';

export async function readNodeState(dataDir: string): Promise<NodeState | undefined> {
  try {
    return JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as NodeState;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${join(dataDir, FILE)}: ${(e as Error).message}`);
  }
}

/** Written to a temporary file, fsynced, then renamed: a crash leaves the old or the new file. */
export async function writeNodeState(dataDir: string, state: NodeState): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tmp = join(dataDir, `${FILE}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(state, null, 2));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dataDir, FILE));
}
