import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources, type Clock, type NetworkTable, type NodeNetwork, type Task, type TaskNetworkAttachment } from '@shoal/common';
import { DockerExecutor, OverlayNetworks, doTask, runCommand, type CommandRunner } from '@shoal/worker';
import { createCluster, destroyCluster } from '../harness/netns/index.js';
import type { NetnsCluster } from '../harness/netns/netns-cluster.js';
import type { NetnsHost } from '../harness/netns/netns-host.js';

/**
 * The overlay data path on two netns hosts, without managers: each host's OverlayNetworks gets a
 * hand-written NetworkTable, tasks carry their attachments as the allocator would write them, and
 * containers on two hosts talk over VXLAN. Needs root, Docker Engine and the images of
 * scripts/setup-host.sh; run under `flock /tmp/shoal-e2e.lock`.
 */
const clock: Clock = { now: () => Date.now() };
const OPEN = { id: 'dpopen0123456789', name: 'dp_open', allocation: { subnet: '10.0.7.0/24', gateway: '10.0.7.1', vxlanId: 4194400 }, internal: false };
const SHUT = { id: 'dpshut0123456789', name: 'dp_shut', allocation: { subnet: '10.0.8.0/24', gateway: '10.0.8.1', vxlanId: 4194401 }, internal: true };
type Net = typeof OPEN;
const SERVE = 'mkdir -p /www && dd if=/dev/urandom of=/www/big bs=1024 count=1024 2>/dev/null && echo ok >/www/index.html && exec httpd -f -p 80 -h /www';

let cluster: NetnsCluster;
const exec: Record<string, DockerExecutor> = {};

function attachment(n: Net, address: string): TaskNetworkAttachment {
  return { networkId: n.id, name: n.name, address: `${address}/24`, aliases: [], allocation: n.allocation, internal: n.internal, attachable: false, driverOpts: {} };
}

function task(id: string, host: NetnsHost, n: Net, address: string): Task {
  return {
    id,
    meta: { version: 1, createdAt: '', updatedAt: '' },
    serviceId: `svc-${id}`,
    slot: 1,
    nodeId: `node-${host.name}`,
    spec: {
      container: { image: 'shoal/busybox:latest', command: ['sh', '-c', SERVE], env: [], labels: {}, stopGracePeriodMs: 1_000, mounts: [] },
      resources: emptyResources(),
      restartPolicy: DEFAULT_RESTART_POLICY,
      placement: emptyPlacement(),
      networks: [{ target: n.name, aliases: [] }],
      forceUpdate: 0,
    },
    serviceAnnotations: { name: `dp_${id}`, labels: {} },
    endpointPorts: [],
    desiredState: 'running',
    status: { state: 'assigned', timestamp: '', message: '' },
    networks: [attachment(n, address)],
  };
}

/** Every endpoint of `n` in the cluster (the manager's view). */
function tableNetwork(n: Net, endpoints: { task: string; address: string; host: NetnsHost }[]): NodeNetwork {
  return {
    ...n,
    attachable: false,
    driverOpts: {},
    services: [],
    endpoints: endpoints.map((e) => ({ taskId: e.task, serviceId: `svc-${e.task}`, address: e.address, nodeId: `node-${e.host.name}`, nodeAddr: e.host.addr, serving: true })),
  };
}

async function runTask(t: Task, ex: DockerExecutor): Promise<string> {
  const ctl = ex.controllerFor(t);
  let cur = t;
  while (cur.status.state !== 'running') {
    const status = await doTask(cur, ctl, clock);
    if (status === cur.status || status.state === 'rejected' || status.state === 'failed') throw new Error(`task ${t.id} stuck at ${status.state}: ${status.err ?? ''}`);
    cur = { ...cur, status };
  }
  return cur.status.containerId!;
}

const inNetns = (h: NetnsHost): CommandRunner => (cmd, args, input) => runCommand('nsenter', [`--net=${h.layout.netnsPath}`, cmd, ...args], input);
const links = async (h: NetnsHost) => JSON.parse((await h.exec('ip', ['-j', '-d', 'link', 'show'])).stdout) as { ifname: string; ifindex: number; mtu: number }[];
const shoalLinks = async (h: NetnsHost) => (await links(h)).filter((l) => /^sh[bv]-/.test(l.ifname)).map((l) => l.ifname).sort();
const sh = (h: NetnsHost, container: string, script: string) => h.docker('exec', container, 'sh', '-c', script);

describe('overlay data path on two netns hosts', () => {
  let h1: NetnsHost;
  let h2: NetnsHost;
  const c: Record<string, string> = {};
  let tables: Record<string, NetworkTable>;

  beforeAll(async () => {
    cluster = await createCluster({ hosts: 2, name: 'overlay-datapath' });
    [h1, h2] = [cluster.host(1), cluster.host(2)];
    for (const h of [h1, h2]) {
      exec[h.name] = new DockerExecutor(h.layout.docker.url, { overlay: { underlay: `${h.addr}:4242`, resolvDir: `/run/shoal-e2e/${h.name}/resolv`, run: inNetns(h) } });
    }
    const open = [{ task: 'a', address: '10.0.7.10', host: h1 }, { task: 'b', address: '10.0.7.20', host: h2 }];
    const shut = [{ task: 'c', address: '10.0.8.10', host: h1 }, { task: 'd', address: '10.0.8.20', host: h2 }];
    const table: NetworkTable = { networks: [tableNetwork(OPEN, open), tableNetwork(SHUT, shut)] };
    tables = { h1: table, h2: table };
    c.a = await runTask(task('a', h1, OPEN, '10.0.7.10'), exec.h1!);
    c.b = await runTask(task('b', h2, OPEN, '10.0.7.20'), exec.h2!);
    c.c = await runTask(task('c', h1, SHUT, '10.0.8.10'), exec.h1!);
    c.d = await runTask(task('d', h2, SHUT, '10.0.8.20'), exec.h2!);
  });

  afterAll(async () => {
    await destroyCluster(cluster);
  });

  it('containers on two hosts reach each other by address once the table is applied, and 1 MB crosses intact', async () => {
    // The tasks built their networks themselves; without the table's entries nothing floods across.
    await expect(sh(h1, c.a!, 'ping -c 1 -W 1 10.0.7.20')).rejects.toThrow();
    await Promise.all([exec.h1!.overlay!.apply(tables.h1!), exec.h2!.overlay!.apply(tables.h2!)]);
    await sh(h1, c.a!, 'ping -c 2 -W 2 10.0.7.20');
    await sh(h2, c.b!, 'ping -c 2 -W 2 10.0.7.10');
    const sent = (await sh(h2, c.b!, 'md5sum /www/big')).split(' ')[0];
    const got = (await sh(h1, c.a!, 'wget -qO- http://10.0.7.20/big | md5sum')).split(' ')[0];
    expect(got).toBe(sent);
    const back = (await sh(h2, c.b!, 'wget -qO- http://10.0.7.10/big | wc -c')).trim();
    expect(back).toBe(String(1024 * 1024));
  });

  it('gives containers the overlay MTU, their allocated address and MAC, and shoald’s resolv.conf', async () => {
    expect((await sh(h1, c.a!, 'cat /sys/class/net/eth0/mtu')).trim()).toBe('1450');
    expect((await sh(h1, c.a!, 'cat /sys/class/net/eth0/address')).trim()).toBe('02:42:0a:00:07:0a');
    expect(await sh(h1, c.a!, 'ip -4 addr show eth0')).toContain('10.0.7.10/24');
    expect(await sh(h1, c.a!, 'cat /etc/resolv.conf')).toContain('nameserver 10.0.7.1\noptions ndots:0');
    const vx = (await links(h1)).find((l) => l.ifname === 'shv-dpopen0123');
    expect(vx?.mtu).toBe(1450);
  });

  it('an internal network works across hosts but has no way out', async () => {
    await sh(h1, c.c!, 'ping -c 1 -W 2 10.0.8.20');
    await sh(h1, c.a!, 'ping -c 1 -W 2 10.99.0.1');
    await expect(sh(h1, c.c!, 'ping -c 1 -W 2 10.99.0.1')).rejects.toThrow();
  });

  it('a restarted data path adopts what is right and changes nothing', async () => {
    const before = await links(h1);
    const fdbBefore = (await h1.exec('bridge', ['fdb', 'show', 'dev', 'shv-dpopen0123'])).stdout;
    const fresh = new OverlayNetworks({ docker: exec.h1!.docker, underlay: h1.addr, resolvDir: `/run/shoal-e2e/h1/resolv`, run: inNetns(h1) });
    await fresh.apply(tables.h1!);
    expect((await links(h1)).map((l) => `${l.ifname}#${l.ifindex}`)).toEqual(before.map((l) => `${l.ifname}#${l.ifindex}`));
    expect((await h1.exec('bridge', ['fdb', 'show', 'dev', 'shv-dpopen0123'])).stdout).toBe(fdbBefore);
  });

  it('programs 2,000 remote endpoints in one pass and takes them out again', async () => {
    const many = Array.from({ length: 2_000 }, (_, i) => ({ task: `m${i}`, address: `10.0.${64 + Math.floor(i / 250)}.${1 + (i % 250)}`, host: h2 }));
    // Addresses outside the /24 are only entries to program here: nothing sends to them.
    const big = { networks: [tableNetwork(OPEN, [{ task: 'b', address: '10.0.7.20', host: h2 }, ...many.slice(1)]), tables.h1!.networks[1]!] };
    const bigOverlay = new OverlayNetworks({ docker: exec.h1!.docker, underlay: h1.addr, resolvDir: `/run/shoal-e2e/h1/resolv`, run: inNetns(h1) });
    let t0 = Date.now();
    await bigOverlay.apply(big);
    const addMs = Date.now() - t0;
    const fdb = (await h1.exec('bridge', ['fdb', 'show', 'dev', 'shv-dpopen0123'])).stdout.split('\n').filter((l) => l.includes(' dst '));
    expect(fdb).toHaveLength(2_000);
    t0 = Date.now();
    await bigOverlay.apply(tables.h1!);
    const backMs = Date.now() - t0;
    t0 = Date.now();
    await bigOverlay.apply(tables.h1!);
    const idleMs = Date.now() - t0;
    console.log(`overlay pass: 2,000 fdb+neigh entries added in ${addMs} ms, replaced by 1 in ${backMs} ms; a pass with nothing to do ${idleMs} ms`);
    const left = (await h1.exec('ip', ['neigh', 'show', 'dev', 'shv-dpopen0123'])).stdout.trim().split('\n');
    expect(left).toEqual([expect.stringMatching(/^10\.0\.7\.20 lladdr 02:42:0a:00:07:14 PERMANENT/)]);
    await sh(h1, c.a!, 'ping -c 1 -W 2 10.0.7.20');
  });

  it('an address that moves from a remote task to a local one is reached at once', async () => {
    await sh(h1, c.a!, 'timeout 3 wget -qO- http://10.0.7.20/index.html');
    await h2.docker('rm', '-f', c.b!);
    c.e = await runTask(task('e', h1, OPEN, '10.0.7.20'), exec.h1!);
    const moved: NetworkTable = { networks: [tableNetwork(OPEN, [{ task: 'a', address: '10.0.7.10', host: h1 }, { task: 'e', address: '10.0.7.20', host: h1 }]), tables.h1!.networks[1]!] };
    await Promise.all([exec.h1!.overlay!.apply(moved), exec.h2!.overlay!.apply(moved)]);
    expect((await sh(h1, c.a!, 'timeout 3 wget -qO- http://10.0.7.20/index.html')).trim()).toBe('ok');
    tables.h1 = moved;
  });

  it('removes a network once its last container is gone, and everything on leave', async () => {
    await h1.docker('rm', '-f', c.c!);
    await exec.h1!.overlay!.apply({ networks: tables.h1!.networks.filter((n) => n.id !== SHUT.id) });
    expect(await shoalLinks(h1)).toEqual(['shb-dpopen0123', 'shv-dpopen0123']);
    for (const h of [h1, h2]) {
      const ids = (await h.docker('ps', '-aq')).trim();
      if (ids) await h.docker('rm', '-f', ...ids.split('\n'));
      // h1 as on `swarm leave`; h2 as the agent of i10-table does it: an empty table.
      if (h === h1) await exec.h1!.overlay!.removeAll();
      else await exec.h2!.overlay!.apply({ networks: [] });
      expect(await shoalLinks(h)).toEqual([]);
      expect((await h.docker('network', 'ls', '--filter', 'label=io.shoal.network.id', '-q')).trim()).toBe('');
      expect((await h.exec('ip', ['neigh', 'show', 'nud', 'permanent'])).stdout.trim()).toBe('');
    }
  });
});
