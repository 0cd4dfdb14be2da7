import type Docker from 'dockerode';
import { LABEL_MANAGED } from '../container-config.js';
import { ignoring } from './docker-errors.js';

const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none']);

/** Ensures a local bridge network with this name exists, creating it (labelled as shoal's) if not. */
export async function ensureNetwork(docker: Docker, name: string): Promise<void> {
  if (BUILTIN_NETWORKS.has(name)) return;
  const found = await docker.listNetworks({ filters: { name: [name] } });
  if (found.some((n) => n.Name === name)) return;
  // 409: another task created it meanwhile.
  await ignoring([409], () =>
    docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { [LABEL_MANAGED]: 'true' } }),
  );
}

/** Attaches a container to a network with DNS aliases; an existing attachment is fine. */
export async function connectNetwork(docker: Docker, name: string, containerId: string, aliases: string[]): Promise<void> {
  try {
    await docker.getNetwork(name).connect({ Container: containerId, EndpointConfig: { Aliases: aliases } });
  } catch (err) {
    if (/already exists/i.test(String((err as Error).message)) || /already exists/i.test(JSON.stringify((err as { json?: unknown }).json ?? ''))) return;
    throw err;
  }
}

/**
 * Removes shoal's networks that no container uses and no assigned task needs (after `stack rm`
 * or `swarm leave`). A network in use, or created meanwhile, is left for the next pass.
 */
export async function pruneNetworks(docker: Docker, keep: ReadonlySet<string>): Promise<string[]> {
  const managed = await docker.listNetworks({ filters: { label: [`${LABEL_MANAGED}=true`] } });
  const removed: string[] = [];
  for (const n of managed) {
    if (keep.has(n.Name)) continue;
    const info = (await docker.getNetwork(n.Id).inspect()) as { Containers?: Record<string, unknown> };
    if (Object.keys(info.Containers ?? {}).length > 0) continue;
    await ignoring([403, 404, 409], () => docker.getNetwork(n.Id).remove());
    removed.push(n.Name);
  }
  return removed;
}
