import { mkdirSync } from 'node:fs';
import type { Cluster, ClusterOptions } from '../cluster.js';
import { check, run } from '../exec.js';
import { ensureBridge, ensureForwardRule } from './bridge.js';
import { loadImages, startDockerd, stopDockerd } from './dockerd.js';
import { RUN_ROOT, hostLayout, MAX_HOSTS } from './layout.js';
import { clearNetnsLeftovers } from './leftovers.js';
import { createNamespace } from './namespace.js';
import { NetnsHost } from './netns-host.js';

/** Local images every host gets; no registry is reachable, so they come from this machine's engine (scripts/setup-host.sh). */
export const CLUSTER_IMAGES = ['shoal/hello:latest', 'shoal/busybox:latest', 'shoal/netapp:latest'];
const TOOLS = ['ip', 'nsenter', 'iptables', 'dockerd', 'docker', 'curl', 'sysctl', 'umount'];

export class NetnsCluster implements Cluster<NetnsHost> {
  private destroyed = false;

  constructor(
    readonly name: string,
    readonly hosts: readonly NetnsHost[],
  ) {}

  host(n: number): NetnsHost {
    const h = this.hosts[n - 1];
    if (!h) throw new Error(`cluster ${this.name} has no host h${n} (it has ${this.hosts.length})`);
    return h;
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await Promise.all(this.hosts.map((h) => h.killShoald('SIGTERM').catch(() => undefined)));
    await Promise.all(this.hosts.map((h) => stopDockerd(h.layout).catch(() => undefined)));
    await clearNetnsLeftovers({ keepLogs: true });
  }
}

/**
 * Builds `hosts` hosts on this machine, each a network namespace on the bridge with its own
 * address and its own dockerd holding the local test images. Clears an earlier run's leftovers
 * first; on failure removes what it built (logs stay in /tmp/shoal-e2e/h<N>) and rethrows.
 * One cluster per machine at a time: the names are fixed.
 */
export async function createCluster(opts: ClusterOptions): Promise<NetnsCluster> {
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1 || opts.hosts > MAX_HOSTS) throw new Error(`hosts must be 1..${MAX_HOSTS}, got ${opts.hosts}`);
  await checkPrerequisites();
  await clearNetnsLeftovers();
  const layouts = Array.from({ length: opts.hosts }, (_, i) => hostLayout(i + 1));
  try {
    mkdirSync(RUN_ROOT, { recursive: true });
    const archive = `${RUN_ROOT}/images.tar`;
    const saved = check('docker', ['save', '-o', archive, ...CLUSTER_IMAGES], { timeoutMs: 60_000 });
    await ensureBridge();
    await ensureForwardRule();
    for (const l of layouts) await createNamespace(l);
    await Promise.all([saved, ...layouts.map((l) => startDockerd(l))]);
    await Promise.all(layouts.map((l) => loadImages(l, archive)));
    return new NetnsCluster(opts.name, layouts.map((l) => new NetnsHost(l)));
  } catch (e) {
    await clearNetnsLeftovers({ keepLogs: true }).catch(() => undefined);
    throw new Error(`could not create netns cluster ${opts.name}: ${(e as Error).message}`, { cause: e });
  }
}

/** Stops every daemon of the netns provider and removes what it made, whether or not this process built it. */
export async function destroyCluster(cluster?: NetnsCluster): Promise<void> {
  if (cluster) await cluster.destroy();
  else await clearNetnsLeftovers({ keepLogs: true });
}

async function checkPrerequisites(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the netns e2e provider needs root');
  const missing: string[] = [];
  for (const t of TOOLS) if ((await run('sh', ['-c', `command -v ${t}`])).code !== 0) missing.push(t);
  if (missing.length) throw new Error(`missing commands: ${missing.join(', ')} (scripts/setup-host.sh installs them)`);
  if ((await run('docker', ['info', '--format', '{{.ServerVersion}}'])).code !== 0) throw new Error('the Docker Engine of this machine does not answer (scripts/setup-host.sh starts it)');
  const absent: string[] = [];
  for (const img of CLUSTER_IMAGES) if ((await run('docker', ['image', 'inspect', '--format', '{{.Id}}', img])).code !== 0) absent.push(img);
  if (absent.length) throw new Error(`missing local images ${absent.join(', ')} (scripts/setup-host.sh builds them)`);
}
