import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, type ChildProcess } from 'node:child_process';
import type Docker from 'dockerode';
import type { NodeNetwork, Task } from '@shoal/common';
import {
  batchLines,
  clearNamespace,
  MeshReply,
  desiredNetworks,
  meshNodes,
  meshNodesDelta,
  NftHelper,
  probeMeshReply,
  planNetworks,
  programNamespace,
  readKernel,
  runBatch,
  runCommand,
  type CommandRunner,
  type DesiredNetwork,
  type MeshTarget,
  type ObservedState,
} from '@shoal/worker';
import { request, startEchoServer } from './mesh-echo.js';

/**
 * The routing mesh's reply path (worker/src/mesh), from plain network namespaces — no Docker:
 *
 *   client ──172.31.1.0/24── node n1 (DNAT :8080 → 10.0.0.7) ─┐ shb bridge 10.0.0.1 + 10.0.0.3, MAC 02:42:0a:00:00:03
 *          ──172.31.2.0/24── node n2 (DNAT :8080 → 10.0.0.7) ─┤ shb bridge 10.0.0.1 + 10.0.0.4, MAC 02:42:0a:00:00:04
 *                                 n1 ══ VXLAN over 10.99.77.0/24 ══ n2
 *   task (on n1): eth1 10.0.0.7 on n1's bridge; eth0 10.88.0.2, default route to a dead end
 *
 * The nodes' ingress bridges are programmed by the worker's own planner (network/), the task's
 * namespace by the mesh's io code. Needs root, iproute2, nft, iptables.
 */
const NS = { cli: 'i11m-cli', n1: 'i11m-n1', n2: 'i11m-n2', task: 'i11m-task', dead: 'i11m-dead' };
const path = (ns: string) => `/var/run/netns/${ns}`;
const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const inNs = (ns: string, ...args: string[]) => sh('nsenter', `--net=${path(ns)}`, ...args);
const runnerIn = (ns: string): CommandRunner => (cmd, args, input) => runCommand('nsenter', [`--net=${path(ns)}`, cmd, ...args], input);
const PORT = 8080;
const NET_ID = 'i11mtestnetwork0000';
const BRIDGE = 'shb-i11mtestne';
const U = { n1: '10.99.77.1', n2: '10.99.77.2' };
const NODES = [
  { nodeId: 'n1', address: '10.0.0.3', nodeAddr: U.n1 },
  { nodeId: 'n2', address: '10.0.0.4', nodeAddr: U.n2 },
];
const TASK = '10.0.0.7';
const ingress: NodeNetwork = {
  id: NET_ID,
  name: 'ingress',
  allocation: { subnet: '10.0.0.0/24', gateway: '10.0.0.1', vxlanId: 4097 },
  internal: false,
  attachable: false,
  driverOpts: {},
  services: [],
  endpoints: [{ taskId: 't1', serviceId: 's1', address: TASK, nodeId: 'n1', nodeAddr: U.n1, serving: true }],
  ingress: true,
  nodes: NODES,
};
let server: ChildProcess | undefined;
const helper = new NftHelper();

function cleanup(): void {
  for (const ns of Object.values(NS)) {
    try {
      sh('ip', 'netns', 'del', ns);
    } catch {
      /* not there */
    }
  }
}

function veth(a: string, aNs: string, b: string, bNs: string): void {
  sh('ip', 'link', 'add', a, 'netns', aNs, 'type', 'veth', 'peer', 'name', b, 'netns', bNs);
}

function addr(ns: string, dev: string, cidr: string): void {
  inNs(ns, 'ip', 'addr', 'add', cidr, 'dev', dev);
  inNs(ns, 'ip', 'link', 'set', dev, 'up');
}

/** A node: its links to the client and the underlay, a bare bridge (as Docker makes it) and DNAT by iptables. */
function makeNode(ns: string, clientSide: string): void {
  inNs(ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
  inNs(ns, 'ip', 'link', 'add', BRIDGE, 'type', 'bridge');
  addr(ns, BRIDGE, '10.0.0.1/24');
  addr(ns, 'cl', `${clientSide}/24`);
  for (const proto of ['tcp', 'udp']) {
    inNs(ns, 'iptables', '-t', 'nat', '-A', 'PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', '-p', proto, '--dport', String(PORT), '-j', 'DNAT', '--to-destination', `${TASK}:${PORT}`);
  }
}

/** The node side of the worker: what its planner wants for the ingress network, applied as it applies it. */
async function programNode(ns: string, underlay: string): Promise<{ desired: DesiredNetwork; again: number }> {
  const desired = desiredNetworks({ networks: [ingress] }, [], { underlay, underlayMtu: 1500 })[0]!;
  const run = runnerIn(ns);
  const observe = async (): Promise<ObservedState> => ({
    dockerNetworks: [{ dockerId: 'd', name: 'ingress', networkId: NET_ID, legacy: false, subnet: desired.subnet, gateway: desired.gateway, ipRange: '', bridge: BRIDGE, mtu: desired.mtu, internal: false, containers: 1 }],
    ...(await readKernel(run)),
  });
  const lines = batchLines(planNetworks([desired], await observe(), { removeStale: false }).actions);
  for (const [tool, l] of [['ip', lines.links], ['bridge', lines.fdb], ['ip', lines.neigh]] as const) expect(await runBatch(run, tool, l)).toEqual([]);
  return { desired, again: planNetworks([desired], await observe(), { removeStale: false }).actions.length };
}

const target = (nodes = NODES): MeshTarget => ({ address: TASK, subnet: '10.0.0.0/24', gateway: '10.0.0.1', nodes: meshNodes(nodes) });

async function allFour(): Promise<string[]> {
  const out: string[] = [];
  for (const host of ['172.31.1.1', '172.31.2.1']) for (const proto of ['tcp', 'udp'] as const) out.push(await request(path(NS.cli), proto, host, PORT));
  return out;
}

beforeAll(() => {
  cleanup();
  for (const ns of Object.values(NS)) sh('ip', 'netns', 'add', ns);
  veth('c1', NS.cli, 'cl', NS.n1);
  veth('c2', NS.cli, 'cl', NS.n2);
  veth('u', NS.n1, 'u', NS.n2);
  veth('eth1', NS.task, 'tp', NS.n1);
  veth('eth0', NS.task, 'x', NS.dead);
  addr(NS.cli, 'c1', '172.31.1.2/24');
  addr(NS.cli, 'c2', '172.31.2.2/24');
  makeNode(NS.n1, '172.31.1.1');
  makeNode(NS.n2, '172.31.2.1');
  addr(NS.n1, 'u', `${U.n1}/24`);
  addr(NS.n2, 'u', `${U.n2}/24`);
  inNs(NS.n1, 'ip', 'link', 'set', 'tp', 'master', BRIDGE, 'up');
  inNs(NS.task, 'ip', 'link', 'set', 'eth1', 'address', '02:42:0a:00:00:07');
  addr(NS.task, 'eth1', `${TASK}/24`);
  addr(NS.task, 'eth0', '10.88.0.2/24');
  inNs(NS.task, 'ip', 'route', 'add', 'default', 'via', '10.88.0.1');
  // Strict reverse-path filtering, as many hosts set it: the programming must loosen it on eth1.
  inNs(NS.task, 'sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=1');
  addr(NS.dead, 'x', '10.88.0.1/24');
});

afterAll(() => {
  server?.kill();
  helper.stop();
  if (!process.env.MESH_KEEP) cleanup(); // MESH_KEEP=1: leave the namespaces for a look by hand

});

describe('routing mesh reply path', () => {
  it('the probe finds the netdev egress hook on this kernel (Linux >= 5.16)', async () => {
    expect(await probeMeshReply()).toEqual({ clientAddress: 'preserved', reason: expect.stringContaining('netdev egress hook') });
  });

  it('the node side gives each node bridge its MAC and address and the other node as a peer; a second pass has nothing to do', async () => {
    for (const [ns, underlay] of [[NS.n1, U.n1], [NS.n2, U.n2]] as const) {
      const { desired, again } = await programNode(ns, underlay);
      expect(again).toBe(0);
      const link = JSON.parse(inNs(ns, 'ip', '-j', 'addr', 'show', 'dev', BRIDGE)) as { address: string; addr_info: { local: string }[] }[];
      expect(link[0]!.address).toBe(desired.self!.mac);
      expect(link[0]!.addr_info.map((a) => a.local).filter((a) => !a.includes(':'))).toEqual(['10.0.0.1', desired.self!.address]);
      const other = NODES.find((n) => n.nodeAddr !== underlay)!;
      expect(desired.peers!.map((p) => p.address)).toContain(other.address);
    }
    expect(inNs(NS.n2, 'bridge', 'fdb', 'show', 'dev', 'shv-i11mtestne')).toContain('02:42:0a:00:00:07 dst 10.99.77.1');
  });

  it('without the reply path, answers through either node go astray (the task replies by its default route)', async () => {
    server = await startEchoServer(path(NS.task), PORT);
    expect(await allFour()).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
  });

  it('with it, TCP and UDP through either node are answered, and the server sees the client\'s own address', async () => {
    const t0 = performance.now();
    expect(await programNamespace(path(NS.task), target())).toBe('eth1');
    console.log(`mesh: a namespace programmed whole (read + write, two nsenter) in ${Math.round(performance.now() - t0)} ms`);
    expect(inNs(NS.task, 'cat', '/proc/sys/net/ipv4/conf/eth1/rp_filter')).toBe('2');
    expect(await allFour()).toEqual(['seen 172.31.1.2', 'seen 172.31.1.2', 'seen 172.31.2.2', 'seen 172.31.2.2']);
    // Idempotent: a second write (a restarted shoald) changes nothing that matters.
    await programNamespace(path(NS.task), target());
    expect(inNs(NS.task, 'ip', 'rule', 'show', 'pref', '4242').split('\n')).toHaveLength(1);
    expect(await allFour()).toEqual(['seen 172.31.1.2', 'seen 172.31.1.2', 'seen 172.31.2.2', 'seen 172.31.2.2']);
  });

  it('a node that leaves the map loses its reply path, and gets it back when it returns (element updates only)', async () => {
    const without = meshNodes(NODES.slice(0, 1));
    await helper.run([{ nsPath: path(NS.task), script: 'add table ip shoal_mesh\n' }]); // the helper's start-up is not the delta's cost
    const t0 = performance.now();
    const gone = await helper.run([{ nsPath: path(NS.task), script: meshNodesDelta(meshNodes(NODES), without) }]);
    console.log(`mesh: a node leaving, as element updates through the helper, in ${(performance.now() - t0).toFixed(1)} ms`);
    expect(gone?.get(path(NS.task))).toEqual({});
    expect(await allFour()).toEqual(['seen 172.31.1.2', 'seen 172.31.1.2', 'timeout', 'timeout']);
    const back = await helper.run([{ nsPath: path(NS.task), script: meshNodesDelta(without, meshNodes(NODES)) }]);
    expect(back?.get(path(NS.task))).toEqual({});
    expect(await allFour()).toEqual(['seen 172.31.1.2', 'seen 172.31.1.2', 'seen 172.31.2.2', 'seen 172.31.2.2']);
  });

  it('MeshReply programs the namespace from a table, patches node changes, and its afterStart hook programs a new container', async () => {
    // Docker faked: its listing puts one task container on "ingress" whose namespace is the task's.
    const fake = {
      listContainers: async () => [{ Id: 'c1', Labels: { 'io.shoal.task.id': 't1' }, NetworkSettings: { Networks: { ingress: { IPAddress: TASK } } } }],
      getContainer: () => ({ inspect: async () => ({ HostConfig: { NetworkMode: 'user' }, NetworkSettings: { SandboxKey: path(NS.task) }, State: { Pid: 1 } }) }),
    } as unknown as Docker;
    const mesh = new MeshReply({ docker: fake, clientAddress: 'preserved' });
    try {
      await clearNamespace(path(NS.task));
      expect(await allFour()).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
      await mesh.apply({ networks: [ingress] });
      expect(await allFour()).toEqual(['seen 172.31.1.2', 'seen 172.31.1.2', 'seen 172.31.2.2', 'seen 172.31.2.2']);
      await mesh.apply({ networks: [{ ...ingress, nodes: NODES.slice(0, 1) }] });
      expect(await allFour()).toEqual(['seen 172.31.1.2', 'seen 172.31.1.2', 'timeout', 'timeout']);
      await mesh.apply({ networks: [ingress] });
      await clearNamespace(path(NS.task)); // as a new container's namespace: nothing in it
      const task = { id: 't1', networks: [{ networkId: NET_ID, name: 'ingress', address: `${TASK}/24` }] } as unknown as Task;
      await mesh.afterStart('c1', task);
      expect(await allFour()).toEqual(['seen 172.31.1.2', 'seen 172.31.1.2', 'seen 172.31.2.2', 'seen 172.31.2.2']);
      const snat = new MeshReply({ docker: fake, clientAddress: 'snat' });
      await snat.apply({ networks: [ingress] }); // 'snat' mode: the task side is never touched
    } finally {
      mesh.stop();
    }
  });
});
