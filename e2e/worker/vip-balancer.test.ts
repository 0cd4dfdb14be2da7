import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, type ChildProcess } from 'node:child_process';
import Docker from 'dockerode';
import type { NetworkEndpoint, NetworkTable } from '@shoal/common';
import { VipBalancer } from '@shoal/worker';
import { startUdpServer, udpCalls } from './vip-udp.js';

/**
 * VipBalancer against this machine's Docker Engine: a caller and two backends on a bridge network,
 * a NetworkTable made by hand. Needs root, Docker Engine, nft, conntrack, shoal/busybox
 * (scripts/setup-host.sh). Run under /tmp/shoal-e2e.lock.
 */
const sh = (cmd: string, ...args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).trim();
const NET = `shoal-vip-test-${process.pid}`;
const PREFIX = '10.231.77';
const VIP = `${PREFIX}.2`;
const DEAD_VIP = `${PREFIX}.3`;
const CALLER = `${PREFIX}.20`;
const UDP_PORT = 5353;
const containers: string[] = [];
const servers: ChildProcess[] = [];
const balancer = new VipBalancer({ docker: new Docker() });

/** httpd whose /cgi-bin/who answers "<hostname> <caller address>". */
const BACKEND_CMD = [
  'mkdir -p /www/cgi-bin',
  `printf '#!/bin/sh\\nprintf "Content-Type: text/plain\\\\r\\\\n\\\\r\\\\n"\\necho "$(hostname) $REMOTE_ADDR" | sed "s/\\\\[::ffff://; s/\\\\]//"\\n' > /www/cgi-bin/who`,
  'chmod 755 /www/cgi-bin/who',
  'exec httpd -f -p 80 -h /www',
].join('; ');

function run(name: string, taskId: string, ip: string, cmd: string): { id: string; ns: string } {
  const id = sh('docker', 'run', '-d', '--name', `${NET}-${name}`, '--hostname', name, '--network', NET, '--ip', ip,
    '--label', `io.shoal.task.id=${taskId}`, '--label', 'io.shoal.e2e=vip', 'shoal/busybox:latest', 'sh', '-c', cmd);
  containers.push(id);
  return { id, ns: sh('docker', 'inspect', '-f', '{{.NetworkSettings.SandboxKey}}', id) };
}

function endpoint(taskId: string, serviceId: string, address: string, serving = true): NetworkEndpoint {
  return { taskId, serviceId, address, nodeId: 'n1', nodeAddr: '127.0.0.1', serving };
}

function tableWith(endpoints: NetworkEndpoint[]): NetworkTable {
  return {
    networks: [{
      id: 'net1', name: NET, allocation: { subnet: `${PREFIX}.0/24`, gateway: `${PREFIX}.1`, vxlanId: 4097 },
      internal: false, attachable: false, driverOpts: {},
      services: [
        { id: 'web', name: 'web', aliases: [], endpointMode: 'vip', vip: VIP },
        { id: 'dead', name: 'dead', aliases: [], endpointMode: 'vip', vip: DEAD_VIP },
        { id: 'caller', name: 'caller', aliases: [], endpointMode: 'vip', vip: `${PREFIX}.4` },
      ],
      endpoints: [endpoint('t-caller', 'caller', CALLER), ...endpoints],
    }],
  };
}

const both = (aServing = true, bServing = true) =>
  tableWith([endpoint('t-a', 'web', `${PREFIX}.10`, aServing), endpoint('t-b', 'web', `${PREFIX}.11`, bServing)]);

/** No `-T`: Debian's busybox 1.35 wget crashes with it; sh() times out after 10 s instead. */
function wget(container: string, url: string): string {
  return sh('docker', 'exec', container, 'wget', '-O-', url);
}

let caller: { id: string; ns: string };
let a: { id: string; ns: string };
let b: { id: string; ns: string };

beforeAll(async () => {
  sh('docker', 'network', 'create', '--subnet', `${PREFIX}.0/24`, '--label', 'io.shoal.e2e=vip', NET);
  a = run('vip-a', 't-a', `${PREFIX}.10`, BACKEND_CMD);
  b = run('vip-b', 't-b', `${PREFIX}.11`, BACKEND_CMD);
  caller = run('vip-caller', 't-caller', CALLER, 'exec sleep 3600');
  servers.push(await startUdpServer(a.ns, 'vip-a', UDP_PORT), await startUdpServer(b.ns, 'vip-b', UDP_PORT));
  for (let i = 0; i < 50; i++) {
    try {
      wget(caller.id, `http://${PREFIX}.11/cgi-bin/who`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

afterAll(() => {
  balancer.stop();
  for (const s of servers) s.kill();
  if (containers.length) sh('docker', 'rm', '-f', ...containers);
  sh('docker', 'network', 'rm', NET);
});

describe('VipBalancer (nft in the caller\'s namespace)', () => {
  it('spreads TCP calls to a VIP over both backends, and each backend sees the caller\'s own address', async () => {
    const stats = await balancer.sync(both());
    expect(stats.containers).toBeGreaterThanOrEqual(3);
    const answers = Array.from({ length: 16 }, () => wget(caller.id, `http://${VIP}/cgi-bin/who`));
    expect(new Set(answers)).toEqual(new Set([`vip-a ${CALLER}`, `vip-b ${CALLER}`]));
  });

  it('spreads UDP as well, with the caller\'s own address', async () => {
    const answers = await udpCalls(caller.ns, VIP, UDP_PORT, 16);
    expect(new Set(answers)).toEqual(new Set([`vip-a ${CALLER}`, `vip-b ${CALLER}`]));
  });

  it('refuses a VIP without a serving backend at once, TCP and UDP', async () => {
    const t0 = Date.now();
    expect(() => wget(caller.id, `http://${DEAD_VIP}/`)).toThrow(/refused/i);
    expect(Date.now() - t0).toBeLessThan(8_000); // a hang would run into sh()'s 10 s
    const [udp] = await udpCalls(caller.ns, DEAD_VIP, UDP_PORT, 1);
    // "refused" is the ICMP answer; a hang would end as a timeout instead.
    expect(udp).toMatch(/^refused \d+ms$/);
  });

  it('drops a backend that stops serving, and the flows tracked to it (a UDP flow moves at once)', async () => {
    const [first] = await udpCalls(caller.ns, VIP, UDP_PORT, 1, 40_000);
    const [again] = await udpCalls(caller.ns, VIP, UDP_PORT, 1, 40_000);
    expect(again).toBe(first); // the same flow sticks to its backend (conntrack)
    const aStops = first!.startsWith('vip-a');
    const stats = await balancer.sync(both(!aStops, aStops));
    expect(stats.flushedFlows).toBeGreaterThanOrEqual(1);
    const [moved] = await udpCalls(caller.ns, VIP, UDP_PORT, 1, 40_000);
    expect(moved).toBe(`${aStops ? 'vip-b' : 'vip-a'} ${CALLER}`);
    const tcp = new Set(Array.from({ length: 8 }, () => wget(caller.id, `http://${VIP}/cgi-bin/who`)));
    expect(tcp).toEqual(new Set([moved]));
  });

  it('programs a container that starts after the table came, on Docker\'s start event', async () => {
    balancer.start();
    const table = both();
    table.networks[0]!.endpoints.push(endpoint('t-late', 'caller', `${PREFIX}.21`));
    await balancer.apply(table); // t-late has no container yet
    const late = run('vip-late', 't-late', `${PREFIX}.21`, 'exec sleep 3600');
    const t0 = Date.now();
    while (!sh('nsenter', `--net=${late.ns}`, 'nft', 'list', 'tables').includes('shoal_vip')) {
      expect(Date.now() - t0).toBeLessThan(5_000);
      await new Promise((r) => setTimeout(r, 10));
    }
    console.log(`VIP rules in a new container ${Date.now() - t0} ms after docker run returned`);
    expect(wget(late.id, `http://${VIP}/cgi-bin/who`)).toMatch(new RegExp(` ${PREFIX}.21$`));
    balancer.stop();
    sh('docker', 'rm', '-f', late.id);
    const stats = await balancer.sync(table); // unchanged namespaces are skipped, the gone one too
    expect(stats.programmed).toBe(0);
  });

  it('leaves Docker\'s own rules in the namespace alone and removes its table on removeAll', async () => {
    const before = sh('nsenter', `--net=${caller.ns}`, 'nft', 'list', 'tables');
    expect(before).toContain('table ip shoal_vip');
    await balancer.removeAll();
    const after = sh('nsenter', `--net=${caller.ns}`, 'nft', 'list', 'tables');
    expect(after).not.toContain('shoal_vip');
    expect(sh('docker', 'exec', caller.id, 'nslookup', 'vip-a', '127.0.0.11')).toContain(`${PREFIX}.10`);
  });
});
