import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, ClusterHost } from '../harness/cluster.js';
import { waitFor } from '../harness/exec.js';
import { createTestCluster } from '../harness/provider.js';
import { jsonLines, nodes, type NodeRow } from './cli-helpers.js';
import { joinManagers, writeOk } from './raft-helpers.js';

/**
 * Issue 8's "must show" for a hostile peer on the netns provider: a process holding a real manager
 * certificate (copied from a manager's data dir) attacks the leader over the node-to-node port;
 * afterwards every node still serves. One cluster of three managers for the file.
 * Needs root, Docker Engine and the local images (scripts/setup-host.sh), and `npm run build`.
 */

const ATTACKER = fileURLToPath(new URL('./hostile-raft-peer.mjs', import.meta.url));
const certDirOf = (h: ClusterHost) => `/var/lib/shoal-e2e/${h.name}/shoal/certificates`;

interface StreamResult {
  stream: number;
  chunks: number;
  code: number;
  details: string;
}

let cluster: Cluster | undefined;
let hosts: ClusterHost[] = [];

beforeAll(async () => {
  cluster = await createTestCluster({ hosts: 3, name: 'hostile-peer' });
  hosts = await joinManagers(cluster);
});

afterAll(async () => {
  await cluster?.destroy();
});

async function leaderOf(asker: ClusterHost): Promise<{ host: ClusterHost; row: NodeRow }> {
  const row = await waitFor('a leader', async () => (await nodes(asker)).find((r) => r.ManagerStatus === 'Leader'), 20_000);
  return { host: hosts.find((h) => h.name === row.Hostname)!, row };
}

/** Every host answers `node ls` with the whole cluster and one leader, and takes a write. */
async function everyNodeServes(tag: string): Promise<void> {
  for (const h of hosts) {
    const rows = await nodes(h);
    expect(rows.map((r) => r.Hostname).sort(), h.name).toEqual(hosts.map((x) => x.name).sort());
    expect(rows.filter((r) => r.ManagerStatus === 'Leader'), h.name).toHaveLength(1);
    await writeOk(h, `${tag}-${h.name}`);
  }
}

describe('a hostile peer with a manager certificate', () => {
  it('an endless Raft.Stream to the leader is cut, naming the peer, and every node still serves', async () => {
    const leader = await leaderOf(hosts[0]!);
    const attacker = hosts.find((h) => h !== leader.host)!;
    const attackerId = (await nodes(attacker)).find((r) => r.Self)!.ID;

    // 2048 chunks of 512 KiB: 1 GiB of one message, past what a JavaScript string can hold.
    const r = await attacker.exec(process.execPath, [ATTACKER, certDirOf(attacker), `${leader.host.addr}:4242`, '1', '2048'], { timeoutMs: 170_000 });
    expect(r.code, r.stderr).toBe(0);
    const [stream] = jsonLines<StreamResult>(r.stdout);
    console.log(`[hostile-peer] endless stream from ${attacker.name} to ${leader.host.name}: ${JSON.stringify(stream)}`);
    expect(stream!.code).toBe(8); // RESOURCE_EXHAUSTED
    expect(stream!.details).toMatch(new RegExp(`raft stream from node ${attackerId} cut: a message exceeds the maximum Raft message size`));
    expect(stream!.chunks).toBeLessThan(2048);

    const log = await leader.host.shoaldLog();
    const cut = log.split('\n').find((l) => l.includes('raft stream from a peer cut'));
    expect(cut, 'the leader logs the cut').toBeDefined();
    expect(cut).toContain(attackerId);

    // The leader did not restart: it is still the leader, and every node serves.
    expect((await leaderOf(attacker)).row.ID).toBe(leader.row.ID);
    await everyNodeServes('after-endless');
  });

  it('many endless streams at once are held to one shared budget; every node still serves', async () => {
    const leader = await leaderOf(hosts[0]!);
    const attacker = hosts.find((h) => h !== leader.host)!;
    const r = await attacker.exec(process.execPath, [ATTACKER, certDirOf(attacker), `${leader.host.addr}:4242`, '6', '2048'], { timeoutMs: 170_000 });
    expect(r.code, r.stderr).toBe(0);
    const streams = jsonLines<StreamResult>(r.stdout);
    console.log(`[hostile-peer] 6 endless streams: ${streams.map((s) => `${s.chunks} chunks -> ${s.code}`).join(', ')}`);
    expect(streams).toHaveLength(6);
    for (const s of streams) expect(s.code).toBe(8);
    await everyNodeServes('after-many');
  });
});
