import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/exec.js';
import type { Cluster } from '../harness/cluster.js';
import {
  addressOn,
  containersOf,
  deployStack,
  SETUP_TIMEOUT_MS,
  execIn,
  lookup,
  NETAPP,
  oneContainer,
  OUTSIDE_ADDRESS,
  OUTSIDE_NAME,
  shIn,
  shoaldHasFlag,
  startOverlayCluster,
  startUpstreamDns,
  UPSTREAM_DNS_ADDR,
  who,
} from './overlay-helpers.js';

/**
 * Issue 10's "Must show", the part a user of a stack sees first: the voting app's shape with each
 * service pinned so that every call crosses hosts, on 1 manager (h1) + 2 workers (h2, h3) of the
 * netns provider, driven through the CLI, checked from inside the task containers (`docker exec`)
 * as a user would: calls by name, both replicas reached, the caller's own address seen, DNS
 * (`tasks.NAME`, dnsrr, alias, NXDOMAIN, forwarding), 1 MiB across hosts, UDP.
 * Needs root, Docker Engine, the local images (scripts/setup-host.sh) and `npm run build`.
 */

const WORK = '/tmp/shoal-e2e/overlay-discovery';
const NET = 'app_back';
const pinned = (host: string) => `      placement:\n        constraints: [node.hostname == ${host}]\n`;
const STACK = `services:
  vote:
    image: ${NETAPP}
    command: [frontend, redis]
    networks: [back]
    deploy:
${pinned('h1')}  redis:
    image: ${NETAPP}
    networks: [back]
    deploy:
      replicas: 2
${pinned('h2')}  worker:
    image: ${NETAPP}
    command: [worker, redis, db]
    networks: [back]
    deploy:
${pinned('h1')}  db:
    image: ${NETAPP}
    networks:
      back:
        aliases: [postgres]
    deploy:
${pinned('h3')}  result:
    image: ${NETAPP}
    command: [frontend, db]
    networks: [back]
    deploy:
${pinned('h2')}  rr:
    image: ${NETAPP}
    networks: [back]
    deploy:
      endpoint_mode: dnsrr
      replicas: 2
${pinned('h3')}networks:
  back:
    driver: overlay
`;

let cluster: Cluster | undefined;
let upstream: ChildProcess | undefined;
let upstreamLog = '';
let hasDnsFlag = false;

function c(): Cluster {
  if (!cluster) throw new Error('no cluster');
  return cluster;
}

const task = (service: string) => oneContainer(c(), `app_${service}`);

async function addressesOf(service: string): Promise<string[]> {
  const list = await containersOf(c(), `app_${service}`);
  return (await Promise.all(list.map((t) => addressOn(t, NET)))).sort();
}

describe('overlay network: the voting app across three hosts', () => {
  beforeAll(async () => {
    hasDnsFlag = await shoaldHasFlag('--dns');
    // the upstream resolver listens on the test bridge, which the cluster's creation builds
    cluster = await startOverlayCluster('overlay-discovery', hasDnsFlag ? ['--dns', UPSTREAM_DNS_ADDR] : [], async () => {
      upstream = await startUpstreamDnsOnce();
    });
    await deployStack(c().host(1), 'app', STACK, WORK, 120_000);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    upstream?.kill('SIGTERM');
    await cluster?.destroy();
    cluster = undefined;
  });

  it('every host keeps Docker\'s default bridge, 172.17.0.0/16, as real machines do', async () => {
    for (const h of c().hosts) {
      const subnet = (await h.docker('network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}}{{end}}', 'bridge')).trim();
      expect(subnet, `docker0 of ${h.name}`).toBe('172.17.0.0/16');
    }
  });

  it('every call by name succeeds: vote → redis, result → db, worker → redis and db', async () => {
    const vote = await task('vote');
    const result = await task('result');
    const page = await shIn(vote, 'wget -qO- http://localhost/cgi-bin/call', 'the vote page');
    expect(page, 'vote could not reach redis').toMatch(/-> redis: \w{12} \d+\.\d+\.\d+\.\d+/);
    const dbPage = await shIn(result, 'wget -qO- http://localhost/cgi-bin/call', 'the result page');
    expect(dbPage, 'result could not reach db').toMatch(/-> db: \w{12} \d+\.\d+\.\d+\.\d+/);
    const worker = await task('worker');
    // the worker calls in a loop from its start; its last calls must all have succeeded
    const last = await waitFor('the worker\'s last 6 calls to succeed', async () => {
      const lines = (await shIn(worker, 'tail -n 6 /tmp/calls.log', 'reading the worker\'s calls')).trim().split('\n');
      return lines.length === 6 && lines.every((l) => l.startsWith('ok ')) ? lines : undefined;
    }, 15_000, 500).catch(async (e) => {
      const tail = await shIn(worker, 'tail -n 6 /tmp/calls.log', 'reading the worker\'s calls');
      throw new Error(`worker's calls fail: ${(e as Error).message}\n${tail}`);
    });
    expect(last.some((l) => l.startsWith('ok redis ')) && last.some((l) => l.startsWith('ok db ')), last.join('\n')).toBe(true);
  });

  it('calls to the 2-replica redis reach both, and redis sees the caller\'s own address', async () => {
    const vote = await task('vote');
    const voteAddr = await addressOn(vote, NET);
    const replicas = (await containersOf(c(), 'app_redis')).map((t) => t.id).sort();
    expect(replicas).toHaveLength(2);
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i++) {
      const answer = await who(vote, 'redis', 'vote');
      expect(answer.caller, 'the address redis saw').toBe(voteAddr);
      seen.add(answer.hostname);
    }
    expect([...seen].sort(), 'the redis replicas that answered').toEqual(replicas);
  });

  it('redis and app_redis resolve to the VIP; tasks.redis lists every task', async () => {
    const vote = await task('vote');
    const tasks = await addressesOf('redis');
    const vip = await lookup(vote, 'redis');
    expect(vip.addresses, vip.output).toHaveLength(1);
    expect(tasks, 'the VIP is not a task address').not.toContain(vip.addresses[0]);
    expect((await lookup(vote, 'app_redis')).addresses).toEqual(vip.addresses);
    const all = await lookup(vote, 'tasks.redis');
    expect(all.addresses, all.output).toEqual(tasks);
    expect((await lookup(vote, 'tasks.app_redis')).addresses).toEqual(tasks);
  });

  it('endpoint_mode dnsrr answers the task addresses; an alias resolves and answers calls', async () => {
    const vote = await task('vote');
    const rr = await lookup(vote, 'rr');
    expect(rr.addresses, rr.output).toEqual(await addressesOf('rr'));
    const alias = await lookup(vote, 'postgres');
    const db = await lookup(vote, 'db');
    expect(alias.addresses, alias.output).toEqual(db.addresses);
    expect(alias.addresses).toHaveLength(1);
    const answer = await who(vote, 'postgres', 'vote');
    expect(answer.hostname).toBe((await task('db')).id);
  });

  it('an unknown name is NXDOMAIN at once', async () => {
    const vote = await task('vote');
    const r = await lookup(vote, 'nosuchservice');
    console.log(`nslookup nosuchservice: ${r.ms} ms`);
    expect(r.nxdomain, r.output).toBe(true);
    expect(r.addresses).toEqual([]);
    // Not a timing goal: a name sent upstream would wait out the upstream's 2 s timeout first.
    expect(r.ms, 'nslookup of an unknown name took').toBeLessThan(2_000);
  });

  it('a name outside the cluster is forwarded to the upstream resolver (shoald --dns)', async () => {
    expect(hasDnsFlag, 'this shoald has no --dns flag').toBe(true);
    const vote = await task('vote');
    const r = await lookup(vote, OUTSIDE_NAME);
    console.log(`nslookup ${OUTSIDE_NAME}: ${r.ms} ms`);
    expect(r.addresses, r.output).toEqual([OUTSIDE_ADDRESS]);
    expect(upstreamLog, 'queries the upstream resolver saw').toContain(`query ${OUTSIDE_NAME} A`);
  });

  it('1 MiB crosses hosts intact through the VIP (no MTU black hole)', async () => {
    for (const [from, to] of [['vote', 'redis'], ['result', 'db']] as const) {
      const caller = await task(from);
      const got = await shIn(caller, `rm -f /tmp/big && timeout 10 wget -qO /tmp/big http://${to}/big && sha256sum /tmp/big && cat /www/big.sha256`, `${from} could not fetch 1 MiB from ${to}`);
      const [sum = '', want = ''] = got.trim().split('\n').map((l) => l.split(' ')[0]);
      expect(sum, `${from} ← ${to}: 1 MiB`).toBe(want);
    }
  });

  it('UDP works, through the VIP and to a task\'s address across hosts', async () => {
    const vote = await task('vote');
    const redis = (await containersOf(c(), 'app_redis')).map((t) => t.id);
    const found = await lookup(vote, 'redis');
    const [vip] = found.addresses;
    if (!vip) throw new Error(`vote could not resolve redis: ${found.output}`);
    const viaVip = await execIn(vote, 'udp-echo', 'call', vip, '9000', 'hello');
    expect(viaVip.code, `vote could not reach redis over UDP: ${viaVip.stderr}`).toBe(0);
    expect(redis, viaVip.stdout).toContain(viaVip.stdout.split(' ')[0]);
    const db = await task('db');
    const direct = await execIn(vote, 'udp-echo', 'call', await addressOn(db, NET), '9000', 'hello');
    expect(direct.stdout.trim(), `vote could not reach db's task over UDP: ${direct.stderr}`).toBe(`${db.id} hello`);
  });
});

async function startUpstreamDnsOnce(): Promise<ChildProcess> {
  const child = await startUpstreamDns();
  child.stdout?.on('data', (d) => (upstreamLog += String(d)));
  return child;
}
