import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetworkTable } from '@shoal/common';
import { OverlayNetworks } from '../../src/network/io/overlay-networks.js';
import type { CommandRunner } from '../../src/network/io/commands.js';
import { att, engineDouble, type FakeNetwork } from './overlay-fixtures.js';

/**
 * The agent reconciles the overlay data path every 5 s. On a node with no overlay network and
 * nothing left of one, that pass must spawn nothing (it cost the managers of the 1,000-node
 * benchmark 12–27 % of their CPU); leftovers from before a restart must still go.
 */

/** An Engine double and a runner that count every read and command; the kernel shows no shoal link. */
function countingNode(networks: FakeNetwork[] = []) {
  const calls: string[] = [];
  const docker = engineDouble(networks, (line) => calls.push(line), true);
  const run: CommandRunner = async (cmd, args) => {
    calls.push(`${cmd} ${args.join(' ')}`);
    if (args.includes('addr')) return { code: 0, stdout: JSON.stringify([{ ifname: 'eth0', mtu: 1500, addr_info: [{ local: '10.99.0.11' }] }]), stderr: '' };
    return { code: 0, stdout: '[]', stderr: '' };
  };
  const resolvDir = join(mkdtempSync(join(tmpdir(), 'shoal-resolv-')), 'resolv');
  const overlay = new OverlayNetworks({ docker, run, underlay: '10.99.0.11:4242', resolvDir });
  return { overlay, calls, networks };
}

const spawns = (calls: readonly string[]) => calls.filter((c) => c.startsWith('ip ') || c.startsWith('bridge ')).length;
const emptyTable: NetworkTable = { networks: [] };

describe('OverlayNetworks when the node has no overlay network', () => {
  it('reads the node once for a table without networks, then the periodic passes spawn nothing', async () => {
    const { overlay, calls } = countingNode();
    await overlay.apply(emptyTable);
    expect(spawns(calls)).toBeGreaterThan(0);
    const after = calls.length;
    for (let i = 0; i < 3; i++) await overlay.reconcile();
    expect(calls.slice(after)).toEqual([]);
  });

  it('a network left from before a restart is removed, and the passes go on until the node is bare', async () => {
    const { overlay, calls, networks } = countingNode([
      { Id: 'old1', Name: 'gone_net', Labels: { 'io.shoal.network.id': 'oldnet123456789' }, Options: { 'com.docker.network.bridge.name': 'shb-oldnet123456' }, Internal: false, IPAM: { Config: [] } },
    ]);
    await overlay.apply(emptyTable);
    expect(calls).toContain('docker remove old1');
    expect(networks).toEqual([]);
    // The pass that removed it does not count as bare: the next one reads the node again.
    const before = spawns(calls);
    await overlay.reconcile();
    expect(spawns(calls)).toBeGreaterThan(before);
    const bare = calls.length;
    await overlay.reconcile();
    expect(calls.length).toBe(bare);
  });

  it('reads the node again once a task needs a network', async () => {
    const { overlay, calls } = countingNode();
    await overlay.apply(emptyTable);
    await overlay.ensure(att);
    expect(calls).toContain('docker create vote_back');
    overlay.release(att.networkId);
    const before = spawns(calls);
    await overlay.reconcile();
    expect(spawns(calls)).toBeGreaterThan(before);

  });
});
