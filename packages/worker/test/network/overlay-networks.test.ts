import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OverlayNetworks } from '../../src/network/io/overlay-networks.js';
import type { CommandRunner } from '../../src/network/io/commands.js';
import { att, engineDouble, type FakeNetwork } from './overlay-fixtures.js';

/** An Engine double holding networks (no containers), and a runner that records batches; reads show an empty kernel. */
function fakeNode(o: { failBatch?: string; deviceSetup?: (n: { driverOpts: Record<string, string> }, dev: string) => string[][] } = {}) {
  const networks: FakeNetwork[] = [];
  const log: string[] = [];
  const docker = engineDouble(networks, (line) => log.push(line));
  const run: CommandRunner = async (cmd, args, input) => {
    if (args.includes('-batch')) {
      log.push(`${cmd} batch: ${input!.trim().split('\n').join(' | ')}`);
      if (o.failBatch && input!.includes(o.failBatch)) return { code: 1, stdout: '', stderr: `Error: ${o.failBatch} refused\nCommand failed -:1\n` };
      return { code: 0, stdout: '', stderr: '' };
    }
    if (cmd === 'ethtool') log.push(`${cmd} ${args.join(' ')}`);
    if (args.includes('addr')) return { code: 0, stdout: JSON.stringify([{ ifname: 'eth0', mtu: 1500, addr_info: [{ local: '10.99.0.11' }] }]), stderr: '' };
    return { code: 0, stdout: '[]', stderr: '' };
  };
  const resolvDir = join(mkdtempSync(join(tmpdir(), 'shoal-resolv-')), 'resolv');
  const overlay = new OverlayNetworks({ docker, run, underlay: '10.99.0.11:4242', resolvDir, ...(o.deviceSetup ? { deviceSetup: o.deviceSetup } : {}) });
  return { overlay, log, networks, resolvDir };
}

describe('OverlayNetworks', () => {
  it('builds a task’s network before any table, with the allocation, bridge name, MTU and internal flag', async () => {
    const { overlay, log, networks } = fakeNode();
    await overlay.reconcile();
    expect(log).toEqual([]);
    await overlay.ensure(att);
    expect(log[0]).toBe('docker create vote_back');
    expect(log[1]).toMatch(/^ip batch: link add shv-net1abcdef type vxlan id 4194305 local 10.99.0.11 dstport 4789 nolearning proxy \| link set shv-net1abcdef mtu 1450 master shb-net1abcdef up/);
    expect(networks[0]).toMatchObject({
      Internal: true,
      Labels: { 'io.shoal.network.id': 'net1abcdefghij' },
      Options: { 'com.docker.network.bridge.name': 'shb-net1abcdef', 'com.docker.network.driver.mtu': '1450' },
      IPAM: { Config: [{ Subnet: '10.0.1.0/24', Gateway: '10.0.1.1' }] },
    });
  });

  it('runs the deviceSetup hook on each VXLAN device it creates', async () => {
    const { overlay, log } = fakeNode({ deviceSetup: (n, dev) => (n.driverOpts.encrypted !== undefined ? [['ethtool', '-K', dev, 'tx', 'off']] : []) });
    await overlay.ensure({ ...att, driverOpts: { encrypted: '' } });
    expect(log.slice(-1)).toEqual(['ethtool -K shv-net1abcdef tx off']);
  });

  it('holds a network a task is being prepared on against a table that does not list it yet', async () => {
    const { overlay, log } = fakeNode();
    await overlay.ensure(att);
    await overlay.apply({ networks: [] });
    expect(log.filter((l) => l.startsWith('docker remove'))).toEqual([]);
    overlay.release(att.networkId);
    await overlay.apply({ networks: [] });
    expect(log.filter((l) => l.startsWith('docker remove'))).toEqual(['docker remove id-vote_back']);
  });

  it('rejects a table it could not apply, with the tool’s own words, and a task whose network it could not build', async () => {
    const { overlay } = fakeNode({ failBatch: 'link add' });
    await expect(overlay.ensure(att)).rejects.toThrow('could not set up network vote_back on this node: Error: link add refused');
    // Until the controller lets go of the network, every pass tries to build it again.
    await expect(overlay.apply({ networks: [] })).rejects.toThrow('overlay networks: 1 change(s) failed, first: Error: link add refused');
    overlay.release(att.networkId);
    await expect(overlay.apply({ networks: [] })).resolves.toBeUndefined();
  });

  it('writes the resolv.conf a task mounts: the gateway of its first network, ndots 0', async () => {
    const { overlay, resolvDir } = fakeNode();
    const path = await overlay.resolvConf(att);
    expect(path).toBe(join(resolvDir, '10.0.1.1.conf'));
    expect(readFileSync(path, 'utf8')).toContain('nameserver 10.0.1.1\noptions ndots:0\n');
  });
});
