import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, sleep, waitFor } from '../harness/exec.js';
import { createCluster, destroyCluster, type NetnsCluster, type NetnsHost } from '../harness/netns/index.js';
import { captureUnderlayUdp } from '../harness/netns/capture.js';
import { jsonLines, shoalOk, type TaskRow } from './cli-helpers.js';

/**
 * Issue 10, "an encrypted network: a packet capture on the underlay shows no clear text", through
 * the CLI on the netns provider (1 manager + 2 workers). A stack with an encrypted network and a
 * plain one: a back end pinned to h2 serves a ~600 KB file full of a random marker, a front end
 * pinned to h3 fetches it over each network (by address, and by service name through DNS and the
 * VIP) while tcpdump captures UDP on the hosts' underlay bridge. Over the plain network the
 * marker is in the capture (so the capture would catch a leak); over the encrypted one it is not,
 * and the sealed datagrams are there.
 * Then a node that cannot encrypt (its relay port is taken) refuses a task on that network.
 * Needs root, Docker Engine, tcpdump, ethtool and the local images (scripts/setup-host.sh) and
 * `npm run build`. Hold /tmp/shoal-e2e.lock.
 */
const WORK = '/tmp/shoal-e2e/overlay-encrypted';
const MARKER = `SHOAL-ENC-${randomBytes(6).toString('hex')}`;
const RELAY_PORT = 4800;
let cluster: NetnsCluster | undefined;
let h1: NetnsHost;
let h2: NetnsHost;
let h3: NetnsHost;

const STACK = `services:
  back:
    image: shoal/busybox:latest
    command: [sh, -c, 'mkdir -p /www && i=0 && while [ $$i -lt 20000 ]; do echo "$$MARKER $$i"; i=$$((i+1)); done > /www/big.txt && exec httpd -f -p 80 -h /www']
    environment: {MARKER: ${MARKER}}
    networks: [secret, plain]
    deploy: {placement: {constraints: [node.hostname == h2]}}
  front:
    image: shoal/busybox:latest
    command: [sleep, '3600']
    networks: [secret, plain]
    deploy: {placement: {constraints: [node.hostname == h3]}}
networks:
  secret:
    driver: overlay
    driver_opts: {encrypted: ''}
  plain:
    driver: overlay
`;

async function running(service: string): Promise<TaskRow[]> {
  const tasks = jsonLines<TaskRow>(await shoalOk(h1, 'service', 'ps', '--format', 'json', service));
  return tasks.filter((t) => t.DesiredState === 'Running' && t.CurrentState.startsWith('Running'));
}

async function containerOf(h: NetnsHost, service: string): Promise<string> {
  const id = (await h.docker('ps', '-q', '--filter', `label=io.shoal.service.name=${service}`)).trim().split('\n')[0];
  if (!id) throw new Error(`no container of ${service} on ${h.name}`);
  return id;
}

/** The back end's address on one of its networks, from its own engine on h2. */
async function backAddr(network: string): Promise<string> {
  const back = await containerOf(h2, 'enc_back');
  return (await h2.docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, back)).trim();
}

/** Runs `during` while tcpdump captures UDP on the underlay bridge; returns the capture. */
function capture(name: string, during: () => Promise<void>): Promise<Buffer> {
  return captureUnderlayUdp(`${WORK}/${name}.pcap`, during);
}

/** The body the front end on h3 gets for http://ADDR/big.txt (ADDR: a name or an address). */
async function fetchFromFront(addr: string): Promise<string> {
  const front = await containerOf(h3, 'enc_front');
  // busybox wget -T segfaults in this image: bound it with timeout(1) instead.
  return h3.docker('exec', front, 'timeout', '20', 'wget', '-qO-', `http://${addr}/big.txt`);
}

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  cluster = await createCluster({ hosts: 3, name: 'overlay-encrypted' });
  [h1, h2, h3] = [cluster.host(1), cluster.host(2), cluster.host(3)];
  for (const h of [h1, h2, h3]) await h.startShoald();
  await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
  const token = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'worker')).trim();
  for (const h of [h2, h3]) await shoalOk(h, 'swarm', 'join', '--token', token, `${h1.addr}:4242`);
  const r = await h1.exec('sh', ['-c', `cat > ${WORK}/stack.yml`], { input: STACK });
  if (r.code !== 0) throw new Error(r.stderr);
  await shoalOk(h1, 'stack', 'deploy', '-c', `${WORK}/stack.yml`, 'enc');
  await waitFor('both services running', async () => ((await running('enc_back')).length === 1 && (await running('enc_front')).length === 1 ? true : undefined), 120_000, 500);
});

afterAll(async () => {
  await destroyCluster(cluster);
});

describe('encrypted overlay network', () => {
  it('control: over the plain network the capture shows the marker', async () => {
    const plainAddr = await backAddr('enc_plain');
    let body = '';
    const pcap = await capture('plain', async () => {
      body = await fetchFromFront(plainAddr);
    });
    expect(body.split('\n').filter(Boolean)).toHaveLength(20_000);
    expect(pcap.includes(MARKER)).toBe(true);
  });

  it('over the encrypted network the body arrives whole and the underlay carries no clear text', async () => {
    const secretAddr = await backAddr('enc_secret');
    let body = '';
    const pcap = await capture('secret', async () => {
      body = await fetchFromFront(secretAddr);
    });
    expect(body.split('\n').filter(Boolean)).toHaveLength(20_000);
    expect(body.startsWith(`${MARKER} 0\n`)).toBe(true);
    expect(pcap.includes(MARKER)).toBe(false);
    const sealed = await run('tcpdump', ['-nr', `${WORK}/secret.pcap`, `udp port ${RELAY_PORT}`]);
    // ~600 KB of body in datagrams of at most the overlay MTU: a few hundred sealed ones at least.
    expect(sealed.stdout.trim().split('\n').length).toBeGreaterThan(300);
  });

  it('by service name (DNS, then the VIP) over the encrypted network, still no clear text', async () => {
    let body = '';
    const pcap = await capture('secret-by-name', async () => {
      body = await fetchFromFront('back');
    });
    expect(body.split('\n').filter(Boolean)).toHaveLength(20_000);
    expect(pcap.includes(MARKER)).toBe(false);
  });

  it('a node that cannot encrypt refuses the task instead of sending in clear', async () => {
    // Take h3's relay port before its shoald starts again: its relay cannot bind, so it cannot encrypt.
    await h3.killShoald('SIGTERM');
    const holder = spawn('nsenter', [`--net=${h3.layout.netnsPath}`, 'node', '-e', `require('dgram').createSocket('udp4').bind(${RELAY_PORT}, '${h3.addr}')`], { stdio: 'ignore' });
    try {
      await sleep(500);
      await h3.startShoald();
      await shoalOk(h1, 'service', 'create', '-d', '--name', 'refused', '--network', 'enc_secret', '--constraint', 'node.hostname == h3', 'shoal/busybox:latest', 'sleep', '3600');
      const rejected = await waitFor(
        'the task on h3 rejected',
        async () => jsonLines<TaskRow>(await shoalOk(h1, 'service', 'ps', '--no-trunc', '--format', 'json', 'refused')).find((t) => t.CurrentState.startsWith('Rejected')),
        60_000,
        500,
      );
      expect(rejected.Error).toContain('network enc_secret is encrypted and this node cannot encrypt: cannot bind the relay socket');
      expect(await h3.docker('ps', '-q', '--filter', 'label=io.shoal.service.name=refused')).toBe('');
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
