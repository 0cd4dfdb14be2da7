import type Docker from 'dockerode';
import { LABEL_MANAGED, type DockerEndpointConfig } from '../container-config.js';
import { ignoring } from './docker-errors.js';

const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none']);

/** Network creations in flight, by name: concurrent tasks of one stack share one creation. */
const creating = new Map<string, Promise<void>>();

/**
 * Node-local networks of tasks without overlay attachments (`task.networks`): tasks created before
 * overlay networks existed. Tasks with attachments go through the overlay data path (network/).
 *
 * Ensures exactly one local bridge network with this name exists, creating it (labelled as
 * shoal's) if not. Docker allows several networks with one name, which then makes every use of
 * the name fail as "ambiguous"; creations are therefore serialized per name, and duplicates left
 * by an earlier crash are removed when unused.
 */
export function ensureNetwork(docker: Docker, name: string): Promise<void> {
  if (BUILTIN_NETWORKS.has(name)) return Promise.resolve();
  const inFlight = creating.get(name);
  if (inFlight) return inFlight;
  const p = createOnce(docker, name).finally(() => creating.delete(name));
  creating.set(name, p);
  return p;
}

async function createOnce(docker: Docker, name: string): Promise<void> {
  const found = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
  if (found.length > 1) await removeDuplicates(docker, found);
  if (found.length > 0) return;
  await ignoring([409], () =>
    docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { [LABEL_MANAGED]: 'true' } }),
  );
}

async function removeDuplicates(docker: Docker, found: Docker.NetworkInspectInfo[]): Promise<void> {
  const sorted = [...found].sort((a, b) => a.Created.localeCompare(b.Created));
  for (const extra of sorted.slice(1)) {
    const info = (await docker.getNetwork(extra.Id).inspect()) as { Containers?: Record<string, unknown> };
    if (Object.keys(info.Containers ?? {}).length === 0) await ignoring([403, 404, 409], () => docker.getNetwork(extra.Id).remove());
  }
}

/** Attaches a container to a network (aliases; for overlays also address and MAC); an existing attachment is fine. */
export async function connectNetwork(docker: Docker, name: string, containerId: string, endpoint: DockerEndpointConfig): Promise<void> {
  try {
    await docker.getNetwork(name).connect({ Container: containerId, EndpointConfig: endpoint });
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
