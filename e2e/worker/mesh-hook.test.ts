import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources, type Clock, type NodeNetwork, type Task } from '@shoal/common';
import { DockerExecutor, MeshReply, doTask } from '@shoal/worker';

/**
 * The mesh on this machine's Docker Engine: the data path builds the ingress network (the bridge
 * takes the node's MAC and address, and keeps them once a container joins), and a task's
 * container has its reply path before the task reports RUNNING (OverlayAttacher.afterStart from
 * DockerController.start). Needs root, Docker Engine, nft, shoal/busybox. Run under /tmp/shoal-e2e.lock.
 */
const clock: Clock = { now: () => Date.now() };
const sh = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).trim();
const NET_ID = 'i11mhook0123456789ab';
const NAME = 'i11m-ingress';
const BRIDGE = 'shb-i11mhook01';
const UNDERLAY = sh('sh', '-c', "hostname -I | awk '{print $1}'");
const resolvDir = mkdtempSync(join(tmpdir(), 'i11m-resolv-'));
const ingress: NodeNetwork = {
  id: NET_ID,
  name: NAME,
  allocation: { subnet: '10.231.90.0/24', gateway: '10.231.90.1', vxlanId: 4_100_042 },
  internal: false,
  attachable: false,
  driverOpts: {},
  services: [],
  endpoints: [],
  ingress: true,
  nodes: [
    { nodeId: 'me', address: '10.231.90.3', nodeAddr: UNDERLAY },
    { nodeId: 'other', address: '10.231.90.4', nodeAddr: '10.231.91.2' },
  ],
};
const afterStart = (id: string, t: Task): Promise<void> => mesh.afterStart(id, t);
const executor = new DockerExecutor(undefined, { overlay: { underlay: UNDERLAY, resolvDir, afterStart } });
const mesh = new MeshReply({ docker: executor.docker, clientAddress: 'preserved' });
const task: Task = {
  id: 'i11mhooktask1',
  meta: { version: 1, createdAt: '', updatedAt: '' },
  serviceId: 'i11msvc',
  slot: 1,
  nodeId: 'me',
  spec: {
    container: { image: 'shoal/busybox:latest', command: ['sleep', '300'], env: [], labels: { 'io.shoal.e2e': 'mesh' }, stopGracePeriodMs: 1_000, mounts: [] },
    resources: emptyResources(),
    restartPolicy: DEFAULT_RESTART_POLICY,
    placement: emptyPlacement(),
    networks: [],
    forceUpdate: 0,
  },
  networks: [{ networkId: NET_ID, name: NAME, address: '10.231.90.7/24', aliases: [], allocation: ingress.allocation, internal: false, attachable: false, driverOpts: {} }],
  serviceAnnotations: { name: 'i11m_web', labels: {} },
  endpointPorts: [],
  desiredState: 'running',
  status: { state: 'assigned', timestamp: '', message: '' },
};

function bridge(): { mac: string; addrs: string[] } {
  const [l] = JSON.parse(sh('ip', '-j', '-4', 'addr', 'show', 'dev', BRIDGE)) as { address: string; addr_info: { local: string }[] }[];
  const link = JSON.parse(sh('ip', '-j', 'link', 'show', 'dev', BRIDGE)) as { address: string }[];
  return { mac: link[0]!.address, addrs: (l?.addr_info ?? []).map((a) => a.local) };
}

afterAll(async () => {
  mesh.stop();
  await executor.controllerFor(task).remove().catch(() => undefined);
  await executor.overlay!.apply({ networks: [] }).catch(() => undefined); // the network goes once no container names it
  try {
    sh('docker', 'network', 'rm', NAME);
  } catch {
    /* gone already */
  }
  rmSync(resolvDir, { recursive: true, force: true });
});

describe('the routing mesh on Docker Engine', () => {
  it('builds the ingress network with the node\'s MAC and address on its bridge', async () => {
    await executor.overlay!.apply({ networks: [ingress] });
    await mesh.apply({ networks: [ingress] });
    expect(bridge()).toEqual({ mac: '02:42:0a:e7:5a:03', addrs: ['10.231.90.1', '10.231.90.3'] });
    expect(sh('bridge', 'fdb', 'show', 'dev', 'shv-i11mhook01')).toContain('02:42:0a:e7:5a:04 dst 10.231.91.2');
  });

  it('programs the task\'s reply path before the task is RUNNING, and the bridge keeps its MAC once the container joins', async () => {
    const ctl = executor.controllerFor(task);
    let t = task;
    let checked = false;
    while (t.status.state !== 'running') {
      const status = await doTask(t, ctl, clock);
      if (status === t.status) throw new Error(`stuck at ${t.status.state}: ${t.status.message}`);
      t = { ...t, status };
      if (t.status.state === 'starting') {
        // start() has returned: the hook ran; RUNNING is not reported yet.
        const ns = sh('docker', 'inspect', '-f', '{{.NetworkSettings.SandboxKey}}', ctl.containerId!);
        const rules = sh('nsenter', `--net=${ns}`, 'nft', 'list', 'table', 'ip', 'shoal_mesh');
        expect(rules).toContain('02:42:0a:e7:5a:03 : 0x0ae75a03');
        expect(rules).toContain('02:42:0a:e7:5a:04 : 0x0ae75a04');
        expect(sh('nsenter', `--net=${ns}`, 'ip', 'rule', 'show', 'pref', '4242')).toContain('lookup 4242');
        expect(sh('nsenter', `--net=${ns}`, 'ip', 'route', 'show', 'table', '4242')).toContain('default via 10.231.90.1');
        checked = true;
      }
    }
    expect(checked).toBe(true);
    expect(bridge().mac).toBe('02:42:0a:e7:5a:03');
    // A second table pass adopts what is there: nothing rewritten, nothing failed.
    await executor.overlay!.apply({ networks: [ingress] });
    await mesh.apply({ networks: [ingress] });
    expect(bridge()).toEqual({ mac: '02:42:0a:e7:5a:03', addrs: ['10.231.90.1', '10.231.90.3'] });
  });
});
