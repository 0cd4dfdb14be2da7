import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { waitFor } from '../harness/exec.js';
import type { Cluster, ClusterHost } from '../harness/cluster.js';
import { createTestCluster } from '../harness/provider.js';
import { hostLayout } from '../harness/netns/layout.js';
import { readNodeCerts } from '../../packages/daemon/src/tls/node-certs.js';
import type { NodeCerts } from '../../packages/daemon/src/tls/node-certs.js';
import { nodes, shoalOk } from './cli-helpers.js';
import { joinManagers } from './raft-helpers.js';
import { callAs, type Outcome } from './peer-calls.js';

/**
 * Issue 8's hardening of the node-to-node port, on netns hosts: a demoted or removed manager's
 * certificate, a connection that never speaks TLS, join-token guessing, and the data directory's
 * permissions. One cluster of three managers (h1 leads) for all of them, in order.
 */

let cluster: Cluster;
/** h3's manager certificate from before its demotion: what a hostile former manager would keep. */
let oldManagerCerts: NodeCerts;
let h1: ClusterHost, h2: ClusterHost, h3: ClusterHost;
const PORT = 4242;
const dataDir = (h: ClusterHost) => hostLayout(Number(h.name.slice(1))).shoald.dataDir;
const shoaldPid = (h: ClusterHost) => Number(readFileSync(hostLayout(Number(h.name.slice(1))).shoald.pidFile, 'utf8').trim());
const addr = (h: ClusterHost) => `${h.addr}:${PORT}`;

async function certsOf(h: ClusterHost): Promise<NodeCerts> {
  const c = await readNodeCerts(dataDir(h));
  if (!c) throw new Error(`${h.name} has no certificates`);
  return c;
}

const refused = (o: Outcome) => o.code === grpc.status.PERMISSION_DENIED || o.code === grpc.status.UNAUTHENTICATED;

/** The calls a former manager would make: read the swarm and its manager token, write, take part in Raft. */
const MANAGER_CALLS = (nodeId: string) =>
  [
    ['Control', 'ListNodes', {}],
    ['Control', 'JoinTokens', {}],
    ['Control', 'CreateService', { specJson: '{}' }],
    ['Raft', 'Leave', { nodeId }],
    ['Raft', 'Join', { addr: '10.99.0.13:4242' }],
    ['Raft', 'Stream', { payload: '{}', more: false }],
  ] as const;

/** And those of any member: renew the certificate, the dispatcher. */
const MEMBER_CALLS = (nodeId: string) =>
  [
    ['NodeCA', 'RenewNodeCertificate', { csrPem: '' }],
    ['Dispatcher', 'Session', { nodeId, descriptionJson: '{}', addr: '' }],
    ['Dispatcher', 'Heartbeat', { nodeId, sessionId: 'x' }],
  ] as const;

async function outcomes(certs: NodeCerts, h: ClusterHost, calls: ReadonlyArray<readonly [string, string, object]>): Promise<Record<string, Outcome>> {
  const out: Record<string, Outcome> = {};
  for (const [service, method, req] of calls) out[`${service}.${method}`] = await callAs(certs, addr(h), service as 'Control', method, req);
  return out;
}

function expectAllRefused(got: Record<string, Outcome>, why: RegExp): void {
  for (const [call, o] of Object.entries(got)) {
    expect(refused(o), `${call}: ${o.code} ${o.details}`).toBe(true);
    expect(o.details, call).toMatch(why);
  }
}

beforeAll(async () => {
  cluster = await createTestCluster({ hosts: 3, name: 'hardening-authz' });
  [h1, h2, h3] = (await joinManagers(cluster)) as [ClusterHost, ClusterHost, ClusterHost];
  expect((await nodes(h1)).find((n) => n.Hostname === 'h1')?.ManagerStatus).toBe('Leader');
});

afterAll(async () => {
  await cluster?.destroy();
});

describe('hardening of the node-to-node port', () => {
  it('keeps everything under the data directory owner-only', async () => {
    for (const h of [h1, h2, h3]) {
      const r = await h.exec('find', [dataDir(h), '-perm', '/077']);
      expect(r.code).toBe(0);
      expect(r.stdout.trim(), `${h.name}: readable by group or others`).toBe('');
    }
  });

  it('closes a connection that never sends a TLS ClientHello within 10 s, and bounds idle connections from one source', async () => {
    const started = Date.now();
    const silent = net.connect(PORT, h1.addr).on('error', () => {});
    const closedAfterMs = await new Promise<number>((resolve) => {
      const giveUp = setTimeout(() => resolve(Infinity), 10_000);
      silent.once('close', () => {
        clearTimeout(giveUp);
        resolve(Date.now() - started);
      });
    });
    silent.destroy();
    console.log(`[hardening] a silent connection was closed after ${closedAfterMs} ms`);
    expect(closedAfterMs).toBeLessThan(10_000);

    // A flood of idle connections from one address: the node holds a few and closes the rest.
    const pid = shoaldPid(h1);
    const fds = () => readdirSync(`/proc/${pid}/fd`).length;
    const before = { fds: fds(), rssKb: rssKb(pid) };
    const flood = Array.from({ length: 2_000 }, () => net.connect(PORT, h1.addr).on('error', () => {}));
    await new Promise((r) => setTimeout(r, 1_000));
    const during = { fds: fds(), rssKb: rssKb(pid), open: flood.filter((s) => !s.destroyed && s.readyState === 'open').length };
    // The local socket answers whatever happens on the network port.
    const ls = await h1.shoal('node', 'ls', '--format', 'json');
    for (const s of flood) s.destroy();
    console.log(`[hardening] 2000 idle connections from one address: shoald fds ${before.fds} -> ${during.fds}, RSS ${before.rssKb} -> ${during.rssKb} kB; ${during.open} left open by the node`);
    expect(ls.code, ls.stderr).toBe(0);
    expect(during.fds - before.fds).toBeLessThan(100);
  });

  it("refuses a demoted manager's certificate on Control and Raft at once", async () => {
    oldManagerCerts = await certsOf(h3);
    const h3Id = (await nodes(h1)).find((n) => n.Hostname === 'h3')!.ID;
    // the certificate works while h3 is a manager
    expect((await callAs(oldManagerCerts, addr(h1), 'Control', 'ListNodes')).code).toBe(grpc.status.OK);
    await shoalOk(h1, 'node', 'demote', 'h3');
    expectAllRefused(await outcomes(oldManagerCerts, h1, MANAGER_CALLS(h3Id)), /not a manager of this swarm \(its role is worker\)/);
    // a follower applies the demotion (then the Raft removal) a moment later
    const onH2 = await waitFor('h2 refuses the demoted manager', async () => {
      const got = await outcomes(oldManagerCerts, h2, MANAGER_CALLS(h3Id));
      return Object.values(got).every(refused) ? got : undefined;
    }, 10_000);
    expectAllRefused(onH2, /not a manager of this swarm \(its role is worker\)/);
    // it is still a member: as a worker it keeps its dispatcher session
    expect((await callAs(oldManagerCerts, addr(h1), 'Dispatcher', 'Heartbeat', { nodeId: h3Id, sessionId: 'x' })).details).toMatch(/session invalid/);
  });

  it("refuses a removed node's certificates (its old manager one and its worker one) on every service", async () => {
    const h3Id = (await nodes(h1)).find((n) => n.Hostname === 'h3')!.ID;
    await waitFor('h3 runs as a worker (certificate renewed, manager stopped)', async () => ((await h3.shoal('node', 'ls')).stderr.includes('not a swarm manager') ? true : undefined), 30_000);
    const workerCerts = await certsOf(h3);
    await shoalOk(h3, 'swarm', 'leave');
    await shoalOk(h1, 'node', 'rm', '--force', 'h3');
    for (const h of [h1, h2]) {
      for (const certs of [oldManagerCerts, workerCerts]) {
        expectAllRefused(await outcomes(certs, h, [...MANAGER_CALLS(h3Id), ...MEMBER_CALLS(h3Id)]), /is not a member of this swarm|not a manager/);
      }
    }
  });

  it('rate-limits wrong join tokens per source and logs them', async () => {
    const token = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'worker')).trim();
    const wrong = token.replace(/[^-]{25}$/, 'x'.repeat(25));
    expect(wrong).not.toBe(token);
    // A few at a time, as a guessing script would; 10 go through at once, then one every 3 s.
    let attempts = 0;
    let last = '';
    while (attempts < 40 && !/too many join attempts/.test(last)) {
      const batch = await Promise.all(Array.from({ length: 4 }, () => h3.shoal('swarm', 'join', '--token', wrong, addr(h1))));
      attempts += batch.length;
      for (const r of batch) expect(r.code).not.toBe(0);
      last = batch.map((r) => r.stderr.trim()).find((e) => /too many join attempts/.test(e)) ?? batch[0]!.stderr.trim();
    }
    console.log(`[hardening] join refused as rate-limited after ${attempts} wrong tokens: ${last}`);
    expect(last).toMatch(/^.*too many join attempts from 10\.99\.0\.13; retry in \d+s$/);
    expect(last.split('\n')).toHaveLength(1);
    const log = await h1.shoaldLog();
    expect(log).toMatch(/"source":"10\.99\.0\.13".*"msg":"join attempt refused"|"msg":"join attempt refused".*"source":"10\.99\.0\.13"/);
    expect(log).toMatch(/join attempt refused: rate-limited/);
  });
});

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
