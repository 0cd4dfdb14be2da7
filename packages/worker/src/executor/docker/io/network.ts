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
