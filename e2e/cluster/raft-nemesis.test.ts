import { afterAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { sleep, waitFor } from '../harness/exec.js';
import type { Cluster, ClusterHost } from '../harness/cluster.js';
import { createTestCluster } from '../harness/provider.js';
import { checkOperations, kvModel, type KvOp } from '../../test/linearizability/index.js';
import { jsonLines } from './cli-helpers.js';
import { joinManagers, serviceNames } from './raft-helpers.js';

/**
 * Real processes under a nemesis: three managers on the netns provider while clients write and
 * read through the CLI, and one manager at a time is killed (-9) and restarted, paused
 * (SIGSTOP/SIGCONT) or cut off the network. The history is checked for lost writes and for
 * linearizability: each service name is a key; `service create NAME` puts it, each `service ls`
 * reads every key. A failed write has an unknown outcome; reads marked possibly stale (answered
 * without quorum) are left out, as they say.
 */

const CLIENT_MS = Number(process.env.NEMESIS_MS ?? 45_000);
let cluster: Cluster | undefined;

afterAll(async () => {
  await cluster?.destroy();
  cluster = undefined;
});

interface Recorder {
  ops: KvOp[];
  acked: Set<string>;
  invoked: string[];
  now(): number;
}

async function client(id: number, host: ClusterHost, rec: Recorder, until: number): Promise<void> {
  for (let i = 0; Date.now() < until; i++) {
    if (i % 2 === 0) {
      const key = `c${id}-${i}`;
      rec.invoked.push(key);
      const call = rec.now();
      const r = await host.shoal('service', 'create', '-d', '--name', key, '--replicas', '0', 'shoal/busybox:latest', 'sleep', '1000');
      const ok = r.code === 0;
      if (ok) rec.acked.add(key);
      // a write that failed may still have committed: its effect is unknown (return at infinity)
      rec.ops.push({ clientId: id, input: { kind: 'put', key, value: '1' }, call, output: undefined, return: ok ? rec.now() : Infinity });
    } else {
      const call = rec.now();
      const r = await host.shoal('service', 'ls', '--format', 'json');
      const ret = rec.now();
      if (r.code !== 0 || r.stderr.includes('WARNING')) continue;
      const present = new Set(jsonLines<{ Name: string }>(r.stdout).map((s) => s.Name));
      for (const key of rec.invoked) rec.ops.push({ clientId: id, input: { kind: 'get', key }, call, output: present.has(key) ? '1' : null, return: ret });
    }
  }
}

type Fault = 'kill' | 'pause' | 'cut';

async function nemesis(hosts: ClusterHost[], until: number, log: string[]): Promise<void> {
  const faults: Fault[] = ['kill', 'pause', 'cut'];
  while (Date.now() < until - 6_000) {
    await sleep(2_000 + randomInt(2_000));
    const h = hosts[randomInt(hosts.length)]!;
    const fault = faults[randomInt(faults.length)]!;
    log.push(`${fault} ${h.name}`);
    if (fault === 'kill') {
      await h.killShoald('SIGKILL');
      await sleep(1_500 + randomInt(1_500));
      await h.startShoald();
    } else if (fault === 'pause') {
      await h.signalShoald('SIGSTOP');
      await sleep(2_000 + randomInt(2_000));
      await h.signalShoald('SIGCONT');
    } else {
      await h.cut();
      await sleep(2_000 + randomInt(2_000));
      await h.heal();
    }
  }
}

describe('raft under a nemesis, real processes', () => {
  it('kill -9, pause, cut and restart managers one at a time while clients write and read: nothing acknowledged is lost, the history is linearizable', async () => {
    cluster = await createTestCluster({ hosts: 3, name: 'raft-nemesis' });
    const hosts = await joinManagers(cluster);
    const start = Date.now();
    const rec: Recorder = { ops: [], acked: new Set(), invoked: [], now: () => Date.now() - start };
    const until = Date.now() + CLIENT_MS;
    const faults: string[] = [];
    await Promise.all([...hosts.map((h, i) => client(i, h, rec, until)), nemesis(hosts, until, faults)]);
    console.log(`[nemesis] faults: ${faults.join(', ')}`);

    const final = await waitFor('every manager answering with the same services', async () => {
      const views = await Promise.all(hosts.map((h) => serviceNames(h).catch(() => undefined)));
      const first = JSON.stringify(views[0]);
      return views.every((v) => v !== undefined && JSON.stringify(v) === first) ? views[0] : undefined;
    }, 60_000);
    const lost = [...rec.acked].filter((k) => !final!.includes(k));
    console.log(`[nemesis] ${rec.acked.size} writes acknowledged of ${rec.invoked.length}; ${rec.ops.length} operations checked`);
    expect(lost).toEqual([]);
    // nothing appears that nobody wrote
    expect(final!.filter((k) => !rec.invoked.includes(k))).toEqual([]);

    const check = checkOperations(kvModel(), rec.ops, { timeoutMs: 60_000 });
    if (check.result !== 'ok') console.log(JSON.stringify(check).slice(0, 4_000));
    expect(check.result).toBe('ok');
  });
});
