import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { waitFor } from '../harness/exec.js';
import { SHOAL, SHOALD } from '../harness/host.js';
import { CLUSTER_IMAGES, createCluster, destroyCluster, netnsLeftovers, type NetnsCluster } from '../harness/netns/index.js';

/**
 * Smoke test of the netns provider: three hosts on this machine, each with its own engine, that
 * reach each other over the bridge, can be cut off and healed, and leave nothing behind.
 * Needs root, Docker Engine and the local images (scripts/setup-host.sh).
 */
const PORT = 18_080;
const shoaldBuilt = existsSync(SHOALD) && existsSync(SHOAL);
let cluster: NetnsCluster | undefined;

function c(): NetnsCluster {
  if (!cluster) throw new Error('no cluster');
  return cluster;
}

/** Starts shoal/hello on a host with port 80 published on PORT; returns the container's hostname. */
async function startHello(n: number): Promise<string> {
  const h = c().host(n);
  const id = (await h.docker('run', '-d', '--name', `smoke-hello-${h.name}`, '-p', `${PORT}:80`, 'shoal/hello:latest')).trim();
  const hostname = (await h.docker('inspect', '--format', '{{.Config.Hostname}}', id)).trim();
  await waitFor(`hello on ${h.name}`, async () => ((await h.curl(PORT).catch(() => '')).trim() === hostname ? true : undefined), 15_000);
  return hostname;
}

describe('netns provider: hosts, bridge, cut and heal, cleanup', () => {
  beforeAll(async () => {
    cluster = await createCluster({ hosts: 3, name: 'netns-smoke' });
  });

  afterAll(async () => {
    await destroyCluster(cluster);
  });

  it('gives each host its own address and its own answering engine with the local images', async () => {
    const ids = new Set<string>();
    for (const h of c().hosts) {
      expect((await h.exec('ip', ['-o', '-4', 'addr', 'show', 'dev', 'eth0'])).stdout).toContain(` ${h.addr}/24 `);
      ids.add((await h.docker('info', '--format', '{{.ID}}')).trim());
      const images = (await h.docker('images', '--format', '{{.Repository}}:{{.Tag}}')).split('\n');
      expect(images).toEqual(expect.arrayContaining(CLUSTER_IMAGES));
    }
    expect(ids.size).toBe(3);
    expect(c().hosts.map((h) => h.addr)).toEqual(['10.99.0.11', '10.99.0.12', '10.99.0.13']);
  });

  it('reaches a container published on h1 from h2 across the bridge', async () => {
    const hostname = await startHello(1);
    expect((await c().host(2).curlAt(c().host(1).addr, PORT)).trim()).toBe(hostname);
  });

  it('cut() takes h2 off the network and heal() puts it back', async () => {
    const [h1, h2, h3] = [c().host(1), c().host(2), c().host(3)];
    const hostname = await startHello(2);
    expect((await h1.curlAt(h2.addr, PORT)).trim()).toBe(hostname);

    await h2.cut();
    await expect(h1.curlAt(h2.addr, PORT)).rejects.toThrow(/curl/);
    await expect(h2.curlAt(h1.addr, PORT)).rejects.toThrow(/curl/);
    // the others still reach each other, and h2's engine still runs its container
    expect((await h3.curlAt(h1.addr, PORT)).trim()).not.toBe('');
    expect((await h2.curl(PORT)).trim()).toBe(hostname);

    await h2.heal();
    const back = await waitFor('h2 to be reachable again', async () => (await h1.curlAt(h2.addr, PORT).catch(() => undefined))?.trim(), 15_000);
    expect(back).toBe(hostname);
  });

  it.skipIf(!shoaldBuilt)('runs shoald on h1: swarm init, node ls, swarm leave', async () => {
    const h1 = c().host(1);
    await h1.startShoald();
    const init = await h1.shoal('swarm', 'init', '--advertise-addr', h1.addr);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Swarm initialized/);
    const ls = await h1.shoal('node', 'ls', '--format', 'json');
    expect(ls.code, ls.stderr).toBe(0);
    const nodes = ls.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ Hostname: 'h1', Status: 'Ready' });
    const leave = await h1.shoal('swarm', 'leave', '--force');
    expect(leave.code, leave.stderr).toBe(0);
    await h1.killShoald('SIGTERM');
    expect(h1.shoaldPid()).toBeUndefined();
  });

  it('leaves no namespace, link, mount, rule or process behind after destroyCluster', async () => {
    await destroyCluster(cluster);
    expect(await netnsLeftovers()).toEqual({ processes: [], namespaces: [], links: [], mounts: [], forwardRule: false });
  });
});
