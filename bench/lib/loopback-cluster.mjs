// A cluster of real `shoald` manager processes on 127.0.0.1, for benchmarks: `swarm init` on the
// first, `swarm join` of the others with the manager token (through each daemon's local socket,
// as the CLI does). The managers' own agents see an empty engine and no-op iptables
// (fake-engine.mjs) and are drained, so tasks go only to the nodes a benchmark adds.
// Needs `npm run build`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShoalClient } from '../../packages/cli/dist/io/client.js';
import { noopIptablesDir, serveEmptyEngine } from './fake-engine.mjs';

const SHOALD = fileURLToPath(new URL('../../packages/daemon/dist/main.js', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Managers still running: killed if the benchmark exits without stopping them (Ctrl-C, a crash). */
const leftovers = new Set();
process.once('exit', () => {
  for (const p of leftovers) p.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

/** Polls `probe` until it returns a value other than undefined (errors count as not yet). */
export async function until(what, probe, timeoutMs = 60_000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(everyMs);
  }
}

/**
 * Calls `fn` again while the cluster answers "unavailable" (a leader change, no quorum yet). A
 * write cut off that way may have committed: on a retry, an error code in `doneIf` (e.g.
 * E_ALREADY_EXISTS for a create) means the earlier attempt took effect. Codes in `alsoRetry` are
 * retried too (E_CONFLICT: a read-modify-write that lost a race).
 */
export async function retrying(fn, { timeoutMs = 60_000, doneIf = [], alsoRetry = [] } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt > 0 && doneIf.includes(e?.code)) return undefined;
      if ((e?.code !== 'E_UNAVAILABLE' && !alsoRetry.includes(e?.code)) || Date.now() > deadline) throw e;
      await sleep(100);
    }
  }
}

/** CPU time (user + system) a live process has used, in seconds; undefined once it is gone. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** A size line of /proc/PID/status (VmHWM, VmRSS, ...) in MiB; undefined once the process is gone. */
export function statusMb(pid, field) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set (VmHWM) of a live process, in MiB; undefined once it is gone. */
export const peakRssMb = (pid) => statusMb(pid, 'VmHWM');

/** For clusters that hollow nodes join: they all connect from 127.0.0.1, where a real cluster
 * sees one address per node (the default cap of 16 handshakes per source refuses them). */
export const HOLLOW_SHOALD_FLAGS = ['--max-handshakes-per-source', '128'];

/**
 * Starts `managers` shoald processes on ports basePort.. and forms the swarm. `profile`: every
 * manager runs with `node --cpu-prof`; the profiles are written when they stop (cpuProfiles()).
 * BENCH_SHOALD_FLAGS adds shoald flags (e.g. "--raft-election-ticks 30"). Resolves with a LoopbackCluster. On failure the managers' logs
 * are printed and everything is torn down.
 */
export async function startLoopbackCluster({ managers = 3, basePort = 24201, who = 'hollow', profile = false, shoaldFlags = [] } = {}) {
  shoaldFlags = [...shoaldFlags, ...(process.env.BENCH_SHOALD_FLAGS ?? '').split(' ').filter(Boolean)];
  const root = mkdtempSync(`/tmp/shoal-bench-${who}-`);
  const engine = await serveEmptyEngine(join(root, 'engine.sock'));
  const bin = noopIptablesDir(join(root, 'bin'));
  const cluster = new LoopbackCluster({ root, engine, bin, shoaldFlags });
  try {
    for (let i = 0; i < managers; i++) cluster.members.push(cluster.spawnManager(i, basePort + i, profile));
    await Promise.all(cluster.members.map((m) => until(`shoald m${m.index} to listen on its socket`, () => m.client.info().then(() => true), 30_000)));
    const [first, ...others] = cluster.members;
    await first.client.swarmInit(first.addr, first.addr);
    await until('m0 to lead', async () => ((await first.client.listNodes()).length > 0 ? true : undefined), 30_000);
    const tokens = await first.client.joinTokens('');
    cluster.workerToken = tokens.worker;
    cluster.managerToken = tokens.manager;
    for (const m of others) await m.client.swarmJoin(first.addr, tokens.manager, m.addr, m.addr);
    const nodes = await until('every manager reachable', async () => {
      const list = (await first.client.listNodes()).filter((n) => n.spec.role === 'manager');
      return list.length === managers && list.every((n) => n.managerStatus?.reachability !== 'unreachable') ? list : undefined;
    });
    // A manager's node may change between the read and the write (its agent reports): read again.
    for (const n of nodes) await retrying(() => first.client.updateNode(n.id, { availability: 'drain' }), { alsoRetry: ['E_CONFLICT'] });
    for (const m of cluster.members) m.nodeId = nodes.find((n) => n.description.hostname === `m${m.index}`)?.id;
    return cluster;
  } catch (e) {
    for (const m of cluster.members) process.stderr.write(`--- m${m.index}.log\n${readLog(join(root, `m${m.index}.log`))}\n`);
    await cluster.stop();
    throw e;
  }
}

function readLog(path) {
  try {
    return readFileSync(path, 'utf8').slice(-4_000);
  } catch {
    return '(no log)';
  }
}

export class LoopbackCluster {
  constructor({ root, engine, bin, shoaldFlags }) {
    this.root = root;
    this.engine = engine;
    this.bin = bin;
    this.shoaldFlags = shoaldFlags;
    this.members = [];
  }

  /** Where nodes join: the first manager's address. */
  get joinAddr() {
    return this.members[0].addr;
  }

  spawnManager(index, port, profile) {
    const dataDir = join(this.root, `m${index}`);
    const socket = join(this.root, `m${index}.sock`);
    const addr = `127.0.0.1:${port}`;
    const m = { index, port, addr, dataDir, socket, profile, pids: [], client: new ShoalClient(`unix://${socket}`) };
    m.alive = () => m.proc.exitCode === null && m.proc.signalCode === null;
    this.launch(m);
    return m;
  }

  /** Starts (or restarts, with its data) a manager's shoald. */
  launch(m) {
    // Node 20 refuses --cpu-prof in NODE_OPTIONS: it goes on the command line.
    const nodeArgs = m.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(this.root, 'prof')}`] : [];
    const args = [...nodeArgs, SHOALD, '--data-dir', m.dataDir, '--socket', m.socket, '--hostname', `m${m.index}`, '--listen-addr', m.addr, '--advertise-addr', m.addr, '--docker-host', this.engine.url, '--log-level', 'warn', ...this.shoaldFlags];
    const env = { ...process.env, PATH: `${this.bin}:${process.env.PATH}` };
    const log = openSync(join(this.root, `m${m.index}.log`), 'a');
    m.proc = spawn(process.execPath, args, { env, stdio: ['ignore', log, log] });
    closeSync(log);
    m.pid = m.proc.pid;
    m.pids.push(m.pid);
    leftovers.add(m.proc);
    m.proc.once('exit', () => leftovers.delete(m.proc));
    m.exited = new Promise((r) => m.proc.once('exit', r));
  }

  /** The index of the manager that leads now (asked through any live manager). */
  async leaderIndex(timeoutMs = 30_000) {
    return until('a leader', async () => {
      for (const m of this.members) {
        if (!m.alive()) continue;
        try {
          const nodes = (await m.client.listNodes()).filter((n) => n.spec.role === 'manager');
          const leader = nodes.find((n) => n.managerStatus?.leader);
          const found = leader && this.members.find((x) => x.nodeId === leader.id);
          if (found) return found.index;
        } catch {
          // this one has no leader to ask, or is down: try the next
        }
      }
      return undefined;
    }, timeoutMs);
  }

  /** Peak RSS (VmHWM) of every live manager, in MiB, by index. */
  peakRss() {
    return Object.fromEntries(this.members.map((m) => [m.index, peakRssMb(m.pid)]));
  }

  /** Sends a signal (SIGKILL by default) and waits for the process to end. */
  async kill(index, signal = 'SIGKILL') {
    const m = this.members[index];
    if (m.alive()) m.proc.kill(signal);
    await m.exited;
  }

  /** Starts a killed manager again with its data directory; resolves once its socket answers. */
  async restart(index) {
    const m = this.members[index];
    m.client.close();
    m.client = new ShoalClient(`unix://${m.socket}`);
    this.launch(m);
    await until(`shoald m${index} back`, () => m.client.info().then(() => true), 30_000);
  }

  /** The .cpuprofile files written by profiled managers that have stopped: [{ index, pid, path }]. */
  cpuProfiles() {
    const dir = join(this.root, 'prof');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => {
        const pid = Number(f.split('.')[3]);
        return { pid, index: this.members.find((m) => m.pids.includes(pid))?.index, path: join(dir, f) };
      });
  }

  /** Stops every manager (SIGTERM, then SIGKILL after 10 s), the engine, and removes the data. */
  async stop({ keep = false } = {}) {
    await Promise.all(
      this.members.map(async (m) => {
        m.client.close();
        if (!m.proc || m.proc.exitCode !== null || m.proc.signalCode !== null) return;
        m.proc.kill('SIGTERM');
        const t = setTimeout(() => m.proc.kill('SIGKILL'), 10_000);
        await m.exited;
        clearTimeout(t);
      }),
    );
    await this.engine.close();
    if (!keep) rmSync(this.root, { recursive: true, force: true });
  }
}
