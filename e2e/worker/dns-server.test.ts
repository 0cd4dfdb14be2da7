import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkTable } from '@shoal/common';
import { waitFor } from '../harness/exec.js';
import { createCluster, destroyCluster, type NetnsCluster } from '../harness/netns/index.js';

/**
 * shoald's DNS server as containers meet it: in a netns host, a Docker bridge network with the
 * network's subnet and gateway (as the data path makes one), the DNS server on the gateway's
 * port 53 in the host's namespace, and a busybox container whose /etc/resolv.conf names the
 * gateway. The server starts before the bridge exists (it must bind once the address appears).
 * Needs root, Docker Engine, the local images and `npm run build`; hold /tmp/shoal-e2e.lock.
 */
const SUBNET = '10.0.9.0/24';
const GATEWAY = '10.0.9.1';
const NET = 'dnstest_default';
const table: NetworkTable = {
  networks: [
    {
      id: 'dnstestnet0001',
      name: NET,
      allocation: { subnet: SUBNET, gateway: GATEWAY, vxlanId: 4999 },
      internal: false,
      attachable: false,
      driverOpts: {},
      services: [
        { id: 'svc-redis', name: 'dnstest_redis', aliases: ['redis'], endpointMode: 'vip', vip: '10.0.9.3' },
        { id: 'svc-db', name: 'dnstest_db', aliases: ['db'], endpointMode: 'dnsrr' },
      ],
      endpoints: [
        { taskId: 't-client', serviceId: 'svc-client', address: '10.0.9.10', nodeId: 'n1', nodeAddr: '10.99.0.11', serving: true },
        { taskId: 't-redis1', serviceId: 'svc-redis', address: '10.0.9.11', nodeId: 'n1', nodeAddr: '10.99.0.11', serving: true },
        { taskId: 't-redis2', serviceId: 'svc-redis', address: '10.0.9.12', nodeId: 'n2', nodeAddr: '10.99.0.12', serving: true },
        { taskId: 't-redis3', serviceId: 'svc-redis', address: '10.0.9.13', nodeId: 'n2', nodeAddr: '10.99.0.12', serving: false },
        { taskId: 't-db1', serviceId: 'svc-db', address: '10.0.9.21', nodeId: 'n1', nodeAddr: '10.99.0.11', serving: true },
        { taskId: 't-db2', serviceId: 'svc-db', address: '10.0.9.22', nodeId: 'n2', nodeAddr: '10.99.0.12', serving: true },
      ],
    },
  ],
};

let cluster: NetnsCluster | undefined;
let server: ChildProcess | undefined;
let serverOut = '';
let dir = '';

function h1() {
  if (!cluster) throw new Error('no cluster');
  return cluster.host(1);
}

/** busybox nslookup NAME in a container on the network, with shoald's resolv.conf; stdout + stderr, and ms. */
async function nslookup(name: string): Promise<{ out: string; ms: number }> {
  const t0 = Date.now();
  const out = await h1()
    .docker('run', '--rm', '--network', NET, '--ip', '10.0.9.10', '-v', `${join(dir, 'resolv.conf')}:/etc/resolv.conf:ro`, 'shoal/busybox:latest', 'sh', '-c', `nslookup ${name} 2>&1; true`)
    .catch((e: Error) => e.message);
  return { out, ms: Date.now() - t0 };
}

/** The answer's addresses: every `Address:` after the first `Name:` (the lines before name the server). */
const addresses = (out: string) => (out.includes('Name:') ? [...out.slice(out.indexOf('Name:')).matchAll(/Address:\s*([\d.]+)/g)].map((m) => m[1]).sort() : []);

describe('DNS server in a netns host, asked by a busybox container', () => {
  beforeAll(async () => {
    cluster = await createCluster({ hosts: 1, name: 'dns' });
    dir = mkdtempSync(join(tmpdir(), 'shoal-dns-e2e-'));
    writeFileSync(join(dir, 'resolv.conf'), `nameserver ${GATEWAY}\noptions ndots:0\n`);
    const script = new URL('./dns-serve.mjs', import.meta.url).pathname;
    server = spawn('nsenter', [`--net=${h1().layout.netnsPath}`, 'node', script, JSON.stringify(table)], { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (c: Buffer) => (serverOut += c.toString()));
    server.stderr!.on('data', (c: Buffer) => (serverOut += c.toString()));
    await waitFor('dns server ready', async () => (serverOut.includes('ready') ? true : undefined), 15_000);
    // The bridge appears after the server started: it keeps retrying the bind until then.
    await h1().docker('network', 'create', '--driver', 'bridge', '--subnet', SUBNET, '--gateway', GATEWAY, '-o', 'com.docker.network.bridge.name=shb-dnstest', NET);
    await waitFor('dns server bound', async () => (serverOut.includes('DNS server listening') ? true : undefined), 10_000);
  });

  afterAll(async () => {
    if (server?.pid !== undefined && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server!.once('exit', resolve));
    }
    await destroyCluster(cluster);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('said it could not bind before the bridge existed, then bound', () => {
    expect(serverOut).toContain('DNS server waits for the network bridge to hold its gateway address');
    expect(serverOut).toMatch(/DNS server listening.*10\.0\.9\.1:53/);
  });

  it('answers a service alias and its full name with the VIP', async () => {
    expect(addresses((await nslookup('redis')).out)).toEqual(['10.0.9.3']);
    expect(addresses((await nslookup('dnstest_redis')).out)).toEqual(['10.0.9.3']);
  });

  it('answers tasks.NAME with the serving tasks only, and dnsrr with task addresses', async () => {
    expect(addresses((await nslookup('tasks.redis')).out)).toEqual(['10.0.9.11', '10.0.9.12']);
    expect(addresses((await nslookup('db')).out)).toEqual(['10.0.9.21', '10.0.9.22']);
  });

  it('answers an unknown name NXDOMAIN quickly, and forwards a name outside the cluster', async () => {
    const unknown = await nslookup('nosuch');
    expect(unknown.out).toContain('NXDOMAIN');
    expect(addresses((await nslookup('outside.example')).out)).toEqual(['192.0.2.7']);
    // `docker run` itself takes most of this; the query is a round trip on the bridge.
    expect(unknown.ms).toBeLessThan(5_000);
  });
});
