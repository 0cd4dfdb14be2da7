// Many hollow nodes in several processes (one event loop for 1,000 nodes would measure itself, not
// the managers). `solo` nodes get a process each, so that one can be cut off alone (SIGSTOP: its
// connections stay open and say nothing, as a host whose network is gone).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./hollow-child.mjs', import.meta.url));
/**
 * Joins in flight at once across the fleet (default): the join throttle's burst is 10 per source
 * address, and the joined nodes' own TLS handshakes need room under the managers' cap per source
 * address (16 by default; `--max-handshakes-per-source` raises it, and then so may `joinConcurrency`).
 */
const JOIN_CONCURRENCY = 4;

/**
 * Starts `count` hollow nodes joined to `remoteAddr` with the worker `token`, at most
 * `perProcess` per process (plus `solo` more, one per process). `labelsFor(i)` gives node i's
 * engine labels. Resolves once every node has a session.
 */
export async function startFleet({ remoteAddr, token, count, perProcess = 250, solo = 0, labelsFor = () => ({}), startDelayMs = 0, fail, statsEveryMs = 100, joinTimeoutMs = 900_000, joinConcurrency = JOIN_CONCURRENCY }) {
  const groups = [];
  for (let i = 0; i < count; i += perProcess) groups.push({ from: i, to: Math.min(count, i + perProcess), solo: false });
  for (let i = 0; i < solo; i++) groups.push({ from: count + i, to: count + i + 1, solo: true });
  const perChild = Math.max(1, Math.floor(joinConcurrency / groups.length));
  const children = groups.map((g) => {
    const proc = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const nodes = [];
    for (let i = g.from; i < g.to; i++) nodes.push({ hostname: `hollow-${i}`, engineLabels: labelsFor(i) });
    return { proc, nodes, solo: g.solo, stats: { running: 0, created: 0 }, nodeIds: {}, stopped: false };
  });
  const ready = children.map(
    (c) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`hollow nodes did not join within ${joinTimeoutMs} ms`)), joinTimeoutMs);
        c.proc.on('message', (m) => {
          if (m.type === 'stats') c.stats = m;
          else if (m.type === 'ready') {
            clearTimeout(timer);
            c.nodeIds = m.nodeIds;
            c.joinMs = m.joinMs;
            resolve();
          } else if (m.type === 'error') reject(new Error(m.message));
        });
        c.proc.on('exit', (code) => {
          c.exited = true;
          if (!c.nodeIds || Object.keys(c.nodeIds).length === 0) reject(new Error(`hollow process exited (${code}) before its nodes joined`));
        });
        c.proc.send({ type: 'start', remoteAddr, token, nodes: c.nodes, startDelayMs, fail, statsEveryMs, joinConcurrency: perChild });
      }),
  );
  const fleet = new Fleet(children);
  try {
    await Promise.all(ready);
  } catch (e) {
    await fleet.stop();
    throw e;
  }
  return fleet;
}

class Fleet {
  constructor(children) {
    this.children = children;
  }

  /** hostname → node ID of every node. */
  nodeIds() {
    return Object.assign({}, ...this.children.map((c) => c.nodeIds));
  }

  /** The nodes that have a process to themselves: [{ hostname, nodeId, pid }]. */
  soloNodes() {
    return this.children.filter((c) => c.solo).map((c) => ({ hostname: c.nodes[0].hostname, nodeId: Object.values(c.nodeIds)[0], pid: c.proc.pid }));
  }

  /** Containers running and ever created on the nodes that were not cut (last reports). */
  counts() {
    let running = 0;
    let created = 0;
    for (const c of this.children) {
      if (c.stopped) continue;
      running += c.stats.running;
      created += c.stats.created;
    }
    return { running, created };
  }

  /** PIDs of the hollow processes (RSS and CPU sampling). */
  pids() {
    return this.children.map((c) => c.proc.pid);
  }

  /** Cuts a solo node off without a word: its process is stopped (SIGSTOP), its sockets stay open. */
  cut(nodeId) {
    const c = this.children.find((x) => x.solo && Object.values(x.nodeIds)[0] === nodeId);
    if (!c) throw new Error(`no solo hollow node ${nodeId}`);
    c.stopped = true;
    c.proc.kill('SIGSTOP');
    return c.proc.pid;
  }

  /** Ends every hollow process: a polite stop, then SIGKILL for any that does not exit (or was cut). */
  async stop() {
    await Promise.all(
      this.children.map(async (c) => {
        if (c.exited) return;
        const gone = new Promise((r) => c.proc.once('exit', r));
        if (c.stopped) c.proc.kill('SIGKILL');
        else c.proc.send({ type: 'stop' }, () => {});
        const t = setTimeout(() => c.proc.kill('SIGKILL'), 5_000);
        await gone;
        clearTimeout(t);
      }),
    );
  }
}
