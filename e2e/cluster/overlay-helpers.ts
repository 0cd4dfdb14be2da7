import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run, sleep, waitFor, type RunResult } from '../harness/exec.js';
import type { Cluster, ClusterHost } from '../harness/cluster.js';
import { SHOALD } from '../harness/host.js';
import { createTestCluster } from '../harness/provider.js';
import { GATEWAY } from '../harness/netns/index.js';
import { jsonLines, nodes, shoalOk, type TaskRow } from './cli-helpers.js';

/**
 * What the overlay e2e files (issue 10) share: a cluster of one manager and two workers, stacks
 * of the `shoal/netapp` image (scripts/test-images/netapp.sh), the task containers of a service
 * on whichever host runs them, commands in them (`docker exec`, as a user checks), lookups with
 * busybox nslookup, and what shoal may leave in a host's kernel.
 */

export const NETAPP = 'shoal/netapp:latest';
/** Three engines, three shoald and a stack's first start: minutes on a loaded 2-core machine. */
export const SETUP_TIMEOUT_MS = 360_000;
/** The resolver outside the cluster (upstream-dns.mjs) listens on the test bridge's own address. */
export const UPSTREAM_DNS_ADDR = GATEWAY;
export const OUTSIDE_NAME = 'outside.example';
export const OUTSIDE_ADDRESS = '192.0.2.55';
const UPSTREAM_SCRIPT = fileURLToPath(new URL('./upstream-dns.mjs', import.meta.url));

/** Does this build's shoald take `flag`? (`--dns` comes with i10-dns.) */
export async function shoaldHasFlag(flag: string): Promise<boolean> {
  const r = await run('node', [SHOALD, '--help']);
  return r.stdout.includes(flag);
}

/**
 * h1 manager, h2 and h3 workers, all Ready; `shoaldArgs` go to every shoald. `beforeDaemons` runs
 * once the hosts and their network exist, before any shoald starts.
 */
export async function startOverlayCluster(name: string, shoaldArgs: string[] = [], beforeDaemons?: () => Promise<void>): Promise<Cluster> {
  const cluster = await createTestCluster({ hosts: 3, name });
  try {
    await beforeDaemons?.();
    const [h1, h2, h3] = [cluster.host(1), cluster.host(2), cluster.host(3)];
    await Promise.all([h1, h2, h3].map((h) => h.startShoald(shoaldArgs)));
    await shoalOk(h1, 'swarm', 'init', '--advertise-addr', h1.addr);
    const token = (await shoalOk(h1, 'swarm', 'join-token', '-q', 'worker')).trim();
    for (const h of [h2, h3]) await shoalOk(h, 'swarm', 'join', '--token', token, `${h1.addr}:4242`);
    await waitFor('3 ready nodes', async () => ((await nodes(h1)).filter((n) => n.Status === 'Ready').length === 3 ? true : undefined), 30_000);
    return cluster;
  } catch (e) {
    await cluster.destroy();
    throw e;
  }
}

/** Starts the resolver outside the cluster on the test bridge; resolves once it listens. */
export async function startUpstreamDns(): Promise<ChildProcess> {
  const child = spawn('node', [UPSTREAM_SCRIPT, UPSTREAM_DNS_ADDR, '53'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  await waitFor('the upstream resolver to listen', async () => {
    if (child.exitCode !== null) throw new Error(`upstream-dns.mjs exited ${child.exitCode}: ${out.trim()}`);
    return out.includes('listening') ? true : undefined;
  }, 10_000, 50);
  return child;
}

/** Writes a file on the host (the netns hosts share this machine's file system). */
export async function writeOn(h: ClusterHost, path: string, text: string): Promise<string> {
  const r = await h.exec('sh', ['-c', 'mkdir -p "$(dirname "$1")" && cat > "$1"', 'sh', path], { input: text });
  if (r.code !== 0) throw new Error(`writing ${path} on ${h.name}: ${r.stderr}`);
  return path;
}

/** `stack deploy -d`, then waits until every service of the stack runs all its replicas. */
export async function deployStack(h1: ClusterHost, stack: string, compose: string, dir: string, timeoutMs = 90_000): Promise<void> {
  const file = await writeOn(h1, `${dir}/${stack}.yml`, compose);
  await shoalOk(h1, 'stack', 'deploy', '-d', '-c', file, stack);
  await waitFor(`stack ${stack} to run every replica`, async () => {
    const rows = jsonLines<{ Name: string; Replicas: string }>(await shoalOk(h1, 'stack', 'services', '--format', 'json', stack));
    const short = rows.filter((r) => !/^(\d+)\/\1\b/.test(r.Replicas));
    if (short.length) throw new Error(short.map((r) => `${r.Name} ${r.Replicas}`).join(', '));
    return rows.length ? true : undefined;
  }, timeoutMs, 500);
}

/** Running tasks of a service, as `shoal service ps` shows them. */
export async function runningTasks(h1: ClusterHost, service: string): Promise<TaskRow[]> {
  const tasks = jsonLines<TaskRow>(await shoalOk(h1, 'service', 'ps', '--format', 'json', '-f', 'desired-state=running', service));
  return tasks.filter((t) => t.CurrentState.startsWith('Running'));
}

/** A task's container on the host that runs it. `id` is also its hostname (Docker's default). */
export interface TaskContainer {
  host: ClusterHost;
  id: string;
  taskId: string;
}

/** The running containers of a service on every host, found through each host's own engine. */
export async function containersOf(cluster: Cluster, service: string): Promise<TaskContainer[]> {
  const per = await Promise.all(
    cluster.hosts.map(async (host) => {
      const out = await host.docker('ps', '--filter', `label=io.shoal.service.name=${service}`, '--filter', 'status=running', '--format', '{{.ID}} {{.Label "io.shoal.task.id"}}');
      return out.split('\n').filter(Boolean).map((l) => {
        const [id = '', taskId = ''] = l.split(' ');
        return { host, id, taskId };
      });
    }),
  );
  return per.flat();
}

/** The one running container of a service (fails when there is none or several). */
export async function oneContainer(cluster: Cluster, service: string): Promise<TaskContainer> {
  const list = await waitFor(`a running container of ${service}`, async () => {
    const l = await containersOf(cluster, service);
    return l.length ? l : undefined;
  }, 30_000);
  if (list.length !== 1) throw new Error(`${service} has ${list.length} running containers, expected 1`);
  return list[0]!;
}

/** `docker exec` in a task container; never throws. */
export async function execIn(c: TaskContainer, ...cmd: string[]): Promise<RunResult> {
  try {
    return { code: 0, stdout: await c.host.docker('exec', c.id, ...cmd), stderr: '' };
  } catch (e) {
    return { code: 1, stdout: '', stderr: (e as Error).message };
  }
}

/** `sh -c SCRIPT` in a task container; returns stdout, throws with what failed. */
export async function shIn(c: TaskContainer, script: string, what: string): Promise<string> {
  const r = await execIn(c, 'sh', '-c', script);
  if (r.code !== 0) throw new Error(`${what} (in ${c.id} on ${c.host.name}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** The container's address on a Docker network (the shoal network's name on the node). */
export async function addressOn(c: TaskContainer, network: string): Promise<string> {
  const ip = (await c.host.docker('inspect', '-f', `{{with index .NetworkSettings.Networks "${network}"}}{{.IPAddress}}{{end}}`, c.id)).trim();
  if (!ip) throw new Error(`container ${c.id} on ${c.host.name} is not on network ${network}`);
  return ip;
}

export interface Lookup {
  /** nslookup's exit code: 0 when the name resolved. */
  code: number;
  /** The IPv4 answers, sorted. */
  addresses: string[];
  /** "NXDOMAIN" when the server said so. */
  nxdomain: boolean;
  /** How long nslookup took inside the container. */
  ms: number;
  output: string;
}

/** `nslookup -type=a NAME` in the container, with its own /etc/resolv.conf, timed inside the container. */
export async function lookup(c: TaskContainer, name: string): Promise<Lookup> {
  const script = `s=$(cut -d' ' -f1 /proc/uptime); nslookup -type=a "$1" 2>&1; rc=$?; e=$(cut -d' ' -f1 /proc/uptime); echo "rc=$rc start=$s end=$e"`;
  const r = await execIn(c, 'sh', '-c', script, 'sh', name);
  if (r.code !== 0) throw new Error(`nslookup ${name} in ${c.id} on ${c.host.name}: ${r.stderr.trim()}`);
  const m = /rc=(\d+) start=([\d.]+) end=([\d.]+)\s*$/.exec(r.stdout);
  const body = r.stdout.replace(/rc=.*$/s, '');
  // the server's own line is "Address:\t10.0.1.1:53" (with a port); answers have none
  const addresses = [...body.matchAll(/^Address:\s*(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((a) => a[1]!).sort();
  return { code: Number(m?.[1] ?? 99), addresses, nxdomain: /NXDOMAIN/.test(body), ms: Math.round((Number(m?.[3]) - Number(m?.[2])) * 1000), output: `nslookup ${name} in ${c.id} on ${c.host.name}: ${body.trim()}` };
}

/** One HTTP call from a container to `http://TARGET/cgi-bin/who`: "HOSTNAME CALLER_ADDRESS". `from` names the caller in errors. */
export async function who(c: TaskContainer, target: string, from: string): Promise<{ hostname: string; caller: string }> {
  const out = await shIn(c, `timeout 3 wget -qO- "http://${target}/cgi-bin/who"`, `${from} could not reach ${target}`);
  const [hostname = '', caller = ''] = out.trim().split(/\s+/);
  return { hostname, caller };
}

/** Seconds since boot on this machine: the clock the call loops in the containers write. */
export async function uptimeS(): Promise<number> {
  const r = await run('cat', ['/proc/uptime']);
  return Number(r.stdout.split(' ')[0]);
}

/** One line of `netapp loop`: a call's start and end (seconds of uptime), result and answer. */
export interface LoopCall {
  start: number;
  end: number;
  ok: boolean;
  hostname: string;
  text: string;
}

/** Starts `netapp loop TARGET LOG` in the container (detached); `readLoop` reads what it wrote. */
export async function startLoop(c: TaskContainer, target: string, log: string): Promise<void> {
  await c.host.docker('exec', '-d', c.id, 'netapp', 'loop', target, log);
}

/** Stops a loop started with startLoop (it ends after its current call). */
export async function stopLoop(c: TaskContainer, log: string): Promise<void> {
  await execIn(c, 'touch', `${log}.stop`);
}

export async function readLoop(c: TaskContainer, log: string): Promise<LoopCall[]> {
  const out = await shIn(c, `cat ${log}`, 'reading the call log');
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [start = '0', end = '0', result = '', ...rest] = l.split(' ');
      return { start: Number(start), end: Number(end), ok: result === 'ok', hostname: result === 'ok' ? (rest[0] ?? '') : '', text: rest.join(' ') };
    });
}

/**
 * Looks `name` up in the container every ~100 ms until `LOG.stop` exists, one line per lookup
 * into LOG: "UPTIME_S ADDRESS...". `firstSeen` reads when each address first appeared.
 */
export async function startDnsWatch(c: TaskContainer, name: string, log: string): Promise<void> {
  const script = `while [ ! -e "$2.stop" ]; do echo "$(cut -d' ' -f1 /proc/uptime) $(nslookup -type=a "$1" 2>/dev/null | awk '/^Address: [0-9.]+$/ {print $2}' | tr '\\n' ' ')" >>"$2"; sleep 0.1; done`;
  await c.host.docker('exec', '-d', c.id, 'sh', '-c', script, 'sh', name, log);
}

/** Seconds of uptime at which each address first answered in a DNS watch. */
export async function firstSeen(c: TaskContainer, log: string): Promise<Map<string, number>> {
  await execIn(c, 'touch', `${log}.stop`);
  const out = await shIn(c, `cat ${log}`, 'reading the DNS watch');
  const seen = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [t = '', ...addrs] = line.trim().split(/\s+/);
    for (const a of addrs) if (a && !seen.has(a)) seen.set(a, Number(t));
  }
  return seen;
}

/** What shoal left in a host's kernel and engine: shoal devices, bridges, fdb/neighbour entries, rules, networks. */
export async function overlayLeftovers(h: ClusterHost): Promise<string[]> {
  const left: string[] = [];
  const links = await h.exec('ip', ['-d', '-o', 'link', 'show']);
  for (const l of links.stdout.split('\n')) if (/: (shb-|shv-)/.test(l)) left.push(`device: ${l.slice(0, 160)}`);
  const fdb = await h.exec('bridge', ['fdb', 'show']);
  for (const l of fdb.stdout.split('\n')) if (/dev (shb-|shv-)/.test(l) || /^02:42:0a:/.test(l)) left.push(`fdb: ${l}`);
  const neigh = await h.exec('ip', ['neigh', 'show']);
  for (const l of neigh.stdout.split('\n')) if (/dev (shb-|shv-)/.test(l)) left.push(`neighbour: ${l}`);
  const rules = await h.exec('iptables-save', []);
  for (const l of rules.stdout.split('\n')) if (/SHOAL/.test(l)) left.push(`rule: ${l}`);
  const tables = await h.exec('nft', ['list', 'tables']);
  for (const l of tables.stdout.split('\n')) if (/shoal/.test(l)) left.push(`nft: ${l}`);
  const nets = await h.docker('network', 'ls', '--filter', 'label=io.shoal.network.id', '--format', '{{.Name}} {{.Driver}}');
  for (const l of nets.split('\n').filter(Boolean)) left.push(`docker network: ${l}`);
  return left;
}

/** Waits (bounded) until the host has none of shoal's leftovers; returns what is still there. */
export async function settleLeftovers(h: ClusterHost, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await overlayLeftovers(h);
    if (!left.length || Date.now() > deadline) return left;
    await sleep(250);
  }
}
