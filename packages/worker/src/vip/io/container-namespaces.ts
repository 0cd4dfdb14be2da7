import type Docker from 'dockerode';

/**
 * Where each running container's network namespace is (its SandboxKey, else /proc/PID/ns/net),
 * inspected once per container and remembered until a listing no longer has it. Containers that
 * share another namespace (network mode host or container:X, Docker's default sandbox) have none
 * of their own: shoal must not program those. Shared by the VIP balancer and the mesh's reply path.
 */
export class ContainerNamespaces {
  private readonly paths = new Map<string, string>();

  constructor(private readonly docker: Docker) {}

  async pathOf(containerId: string): Promise<string | undefined> {
    const known = this.paths.get(containerId);
    if (known) return known;
    try {
      const info = await this.docker.getContainer(containerId).inspect();
      if (sharesNamespace(info)) return undefined;
      const key = info.NetworkSettings.SandboxKey;
      const path = key ? key : info.State.Pid > 0 ? `/proc/${info.State.Pid}/ns/net` : undefined;
      if (path) this.paths.set(containerId, path);
      return path;
    } catch {
      return undefined; // gone since the listing
    }
  }

  /** Forgets every container not in `listed` (a full listing of the running ones). */
  keepOnly(listed: ReadonlySet<string>): void {
    for (const id of this.paths.keys()) if (!listed.has(id)) this.paths.delete(id);
  }
}

function sharesNamespace(info: Docker.ContainerInspectInfo): boolean {
  const mode = info.HostConfig.NetworkMode ?? '';
  return mode === 'host' || mode.startsWith('container:') || (info.NetworkSettings.SandboxKey ?? '').endsWith('/default');
}
