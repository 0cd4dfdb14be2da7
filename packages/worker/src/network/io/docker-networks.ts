import type Docker from 'dockerode';
import type { DesiredNetwork } from '../desired.js';
import { LABEL_NETWORK_ID, OPT_BRIDGE_NAME, OPT_MTU } from '../names.js';

/** The Engine's create body for a network's local half: a bridge with the allocated subnet and gateway. */
export function dockerNetworkBody(d: DesiredNetwork): Docker.NetworkCreateOptions {
  return {
    Name: d.name,
    Driver: 'bridge',
    CheckDuplicate: true,
    Internal: d.internal,
    IPAM: { Driver: 'default', Config: [{ Subnet: d.subnet, Gateway: d.gateway, ...(d.ipRange ? { IPRange: d.ipRange } : {}) }] },
    Options: { [OPT_BRIDGE_NAME]: d.bridge, [OPT_MTU]: String(d.mtu) },
    Labels: { [LABEL_NETWORK_ID]: d.id },
  };
}

export async function createDockerNetwork(docker: Docker, d: DesiredNetwork): Promise<void> {
  await docker.createNetwork(dockerNetworkBody(d));
}

export async function removeDockerNetwork(docker: Docker, dockerId: string): Promise<void> {
  await docker.getNetwork(dockerId).remove();
}

/** A container on a network with its init process (for rules in its namespace). */
export interface NetworkContainer {
  containerId: string;
  /** `io.shoal.task.id`, or '' for a container shoal did not start (attachable networks). */
  taskId: string;
  pid: number;
  address: string;
}

/** The running containers on a Docker network (by name or id) with their PIDs and addresses. */
export async function listNetworkContainers(docker: Docker, network: string): Promise<NetworkContainer[]> {
  const info = (await docker.getNetwork(network).inspect()) as { Containers?: Record<string, { IPv4Address?: string }> | null };
  const out: NetworkContainer[] = [];
  for (const [id, ep] of Object.entries(info.Containers ?? {})) {
    try {
      const c = await docker.getContainer(id).inspect();
      if (!c.State.Running || c.State.Pid <= 0) continue;
      const address = (ep.IPv4Address ?? '').split('/')[0] ?? '';
      out.push({ containerId: id, taskId: c.Config.Labels?.['io.shoal.task.id'] ?? '', pid: c.State.Pid, address });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}
