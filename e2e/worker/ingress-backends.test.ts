import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, type ChildProcess } from 'node:child_process';
import type { IngressEntry } from '@shoal/common';
import { IptablesBackend, IpvsBackend, NftablesBackend, type ClientAddressMode, type IngressBackend } from '@shoal/worker';
import { startUdpServer, udpCalls } from './vip-udp.js';
import { BACKENDS, CLIENT, CLIENT_ADDR, HOST, NET, NODE_ADDR, createHosts, destroyHosts, get, hostRunner, inNs, nsPath } from './ingress-hosts.js';

/**
 * The iptables and nftables ingress backends on one netns node (ingress-hosts.ts): spread, a
 * change, a backend leaving (its conntrack entry goes), a port without backend refused at once,
 * reconcile after a crash, removeAll. Needs root, iptables, nft, conntrack, curl; run under
 * `flock /tmp/shoal-e2e.lock`.
 */
const PORT = 18_480;
const [B1, B2] = BACKENDS as [(typeof BACKENDS)[0], (typeof BACKENDS)[0]];
let servers: ChildProcess[] = [];

function port(backends: { ip: string }[], protocol: 'tcp' | 'udp' = 'tcp'): IngressEntry {
  return { publishedPort: PORT, protocol, serviceId: 's', backends: backends.map((b, i) => ({ ip: b.ip, port: 80, taskId: `t${i}` })) };
}
const table = (...ports: IngressEntry[]) => ({ network: NET, ports });

const made: IngressBackend[] = [];
const keep = (b: IngressBackend): IngressBackend => (made.push(b), b);
/** nftables writes through the libnftables helper, as shoald does (into the node's namespace). */
const make: Record<'iptables' | 'nftables', (mode?: ClientAddressMode) => IngressBackend> = {
  iptables: (mode = 'preserved') => keep(new IptablesBackend({ run: hostRunner, clientAddress: mode })),
  nftables: (mode = 'preserved') => keep(new NftablesBackend({ run: hostRunner, clientAddress: mode, nftNetns: nsPath(HOST) })),
};

/** Everything of shoal in the node's netfilter, as text. */
const programmed = (): string => inNs(HOST, 'iptables-save') + inNs(HOST, 'nft', 'list', 'ruleset');
const udpFlows = (): string => inNs(HOST, 'conntrack', '-L', '-p', 'udp', '--orig-port-dst', String(PORT));

beforeAll(async () => {
  servers = await createHosts(startUdpServer);
});

afterAll(() => {
  for (const b of made) b.close();
  for (const s of servers) s.kill();
  destroyHosts();
});

describe.each(['iptables', 'nftables'] as const)('%s ingress backend on one netns node', (name) => {
  const backend = make[name]();

  it('spreads a published port over two backends; the client keeps its address, loopback clients get the node’s', async () => {
    await backend.apply(table(port([B1, B2])));
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) seen.add(get(CLIENT, NODE_ADDR, PORT));
    expect(seen).toEqual(new Set([`b1 ${CLIENT_ADDR}`, `b2 ${CLIENT_ADDR}`]));
    expect(get(HOST, '127.0.0.1', PORT)).toMatch(new RegExp(`^b[12] ${NET.nodeAddress}$`));
  });

  it('a change takes effect: one backend left', async () => {
    const stats = await backend.apply(table(port([B2])));
    expect(stats.scriptLines).toBeLessThan(10);
    for (let i = 0; i < 10; i++) expect(get(CLIENT, NODE_ADDR, PORT)).toBe(`b2 ${CLIENT_ADDR}`);
  });

  it('a backend that leaves takes its conntrack entries with it: a UDP client moves on at once', async () => {
    await backend.apply(table(port([B1], 'udp')));
    expect(await udpCalls(nsPath(CLIENT), NODE_ADDR, PORT, 1, 40_000)).toEqual([`b1 ${CLIENT_ADDR}`]);
    expect(udpFlows()).toContain(`src=${B1.ip}`);
    const stats = await backend.apply(table(port([B2], 'udp')));
    expect(stats.conntrackDeletes).toBe(1);
    expect(udpFlows()).not.toContain(`src=${B1.ip}`);
    expect(await udpCalls(nsPath(CLIENT), NODE_ADDR, PORT, 1, 40_000)).toEqual([`b2 ${CLIENT_ADDR}`]);
  });

  it('a port without a backend is refused at once (TCP reset, ICMP port unreachable), not dropped', async () => {
    await backend.apply(table(port([]), port([], 'udp')));
    expect(get(CLIENT, NODE_ADDR, PORT)).toBe('curl exit 7');
    expect((await udpCalls(nsPath(CLIENT), NODE_ADDR, PORT, 1))[0]).toMatch(/^refused/);
  });

  it('in snat mode the backend sees the node’s ingress address', async () => {
    const snat = make[name]('snat');
    await snat.apply(table(port([B1])));
    expect(get(CLIENT, NODE_ADDR, PORT)).toBe(`b1 ${NET.nodeAddress}`);
    // The first programmer's idea of the kernel is now wrong: reconcile() reads it again.
    await backend.reconcile(table(port([B1])));
    expect(get(CLIENT, NODE_ADDR, PORT)).toBe(`b1 ${CLIENT_ADDR}`);
  });

  it('after a crash, a new process reads what is left, fixes it, drops flows to backends gone meanwhile, and writes nothing when all is right', async () => {
    await backend.apply(table(port([B1]), { ...port([B2]), publishedPort: PORT + 1 }, port([B1], 'udp')));
    expect(await udpCalls(nsPath(CLIENT), NODE_ADDR, PORT, 1, 40_001)).toEqual([`b1 ${CLIENT_ADDR}`]);
    // Leftovers a crash could leave: a chain of a port that went, and the live port's rules gone.
    if (name === 'iptables') {
      inNs(HOST, 'iptables', '-t', 'nat', '-N', 'SHOAL-SVC-7777-tcp');
      inNs(HOST, 'iptables', '-t', 'nat', '-A', 'SHOAL-INGRESS', '-p', 'tcp', '-m', 'tcp', '--dport', '7777', '-j', 'SHOAL-SVC-7777-tcp');
      inNs(HOST, 'iptables', '-t', 'nat', '-F', `SHOAL-SVC-${PORT}-tcp`);
    } else {
      inNs(HOST, 'nft', 'add element ip shoal_ingress ports { tcp . 7777 : goto pick-1 }; add element ip shoal_ingress backends { tcp . 7777 . 0 : 10.0.9.99 . 80 }');
      inNs(HOST, 'nft', `delete element ip shoal_ingress ports { tcp . ${PORT} : goto pick-1 }`);
    }
    expect(get(CLIENT, NODE_ADDR, PORT)).toBe('curl exit 7');
    const restarted = make[name]();
    // Meanwhile the UDP port's backend moved to b2: the flow to b1 must go.
    const stats = await restarted.apply(table(port([B1]), { ...port([B2]), publishedPort: PORT + 1 }, port([B2], 'udp')));
    expect(stats.conntrackDeletes).toBe(1);
    expect(udpFlows()).not.toContain(`src=${B1.ip}`);
    expect(await udpCalls(nsPath(CLIENT), NODE_ADDR, PORT, 1, 40_001)).toEqual([`b2 ${CLIENT_ADDR}`]);
    expect(programmed()).not.toMatch(/7777/);
    expect(get(CLIENT, NODE_ADDR, PORT)).toBe(`b1 ${CLIENT_ADDR}`);
    expect(get(CLIENT, NODE_ADDR, PORT + 1)).toBe(`b2 ${CLIENT_ADDR}`);
    const again = make[name]();
    expect(await again.apply(table(port([B1]), { ...port([B2]), publishedPort: PORT + 1 }, port([B2], 'udp')))).toEqual({ scriptLines: 0, conntrackDeletes: 0, rejected: [] });
  });

  it('removeAll leaves nothing of shoal behind', async () => {
    await backend.removeAll();
    expect(programmed()).not.toMatch(/SHOAL-|shoal_ingress/);
    expect(get(CLIENT, NODE_ADDR, PORT)).toBe('curl exit 7');
  });
});

/** Whether this kernel has IPVS (`ipvsadm -L -n` works); these hosts have not ("Protocol not available"). */
function kernelHasIpvs(): boolean {
  try {
    execFileSync('ipvsadm', ['-L', '-n'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Skipped where the kernel has no IPVS (as on the CI hosts): the backend cannot run there, and
// its rule generation is covered by packages/worker/test/ingress unit tests.
describe.skipIf(!kernelHasIpvs())('ipvs ingress backend on one netns node (only where the kernel has IPVS)', () => {
  const backend = keep(new IpvsBackend({ run: hostRunner, clientAddress: 'preserved' }));

  it('spreads a published port over two backends and the client keeps its address', async () => {
    await backend.apply(table(port([B1, B2])));
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) seen.add(get(CLIENT, NODE_ADDR, PORT));
    expect(seen).toEqual(new Set([`b1 ${CLIENT_ADDR}`, `b2 ${CLIENT_ADDR}`]));
  });

  it('a change takes effect, and a port without a backend is refused at once', async () => {
    await backend.apply(table(port([B2])));
    for (let i = 0; i < 10; i++) expect(get(CLIENT, NODE_ADDR, PORT)).toBe(`b2 ${CLIENT_ADDR}`);
    await backend.apply(table(port([])));
    expect(get(CLIENT, NODE_ADDR, PORT)).toBe('curl exit 7');
  });

  it('removeAll leaves nothing of shoal behind', async () => {
    await backend.removeAll();
    expect(programmed() + inNs(HOST, 'ipvsadm-save', '-n')).not.toMatch(/SHOAL-|shoal_ingress|-A -f/);
  });
});
