// Helpers for benchmarks on the netns hosts of e2e/harness/netns: one dockerode client per host's
// engine, a watcher that counts container starts from the engines' event streams, and cleanup.
// Measures only; never asserts.
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';

/** A dockerode client for a netns host's own engine (its unix socket). */
export function engineOf(host) {
  return new Docker({ socketPath: host.layout.docker.socket });
}

/**
 * Watches `create` and `start` events of containers carrying `label` (`key` or `key=value`) on the given
 * engines. `since(t0)` counts starts after t0; `waitFor(n, t0, timeoutMs)` resolves with the
 * Date.now() of the n-th start after t0 (or rejects after timeoutMs).
 */
export async function watchStarts(engines, label) {
  const starts = [];
  const creates = [];
  const waiters = new Set();
  const streams = await Promise.all(engines.map((e) => e.getEvents({ filters: { type: ['container'], event: ['create', 'start'], label: [label] } })));
  for (const s of streams) {
    let buf = '';
    s.on('data', (chunk) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) (JSON.parse(l).Action === 'create' ? creates : starts).push(Date.now());
      for (const w of [...waiters]) w();
    });
    s.on('error', () => {});
  }
  const count = (t0) => starts.filter((t) => t >= t0).length;
  return {
    count,
    /** Seconds after t0 of every create and start seen (for a timeline). */
    timeline: (t0) => ({ creates: creates.filter((t) => t >= t0).map((t) => (t - t0) / 1000), starts: starts.filter((t) => t >= t0).map((t) => (t - t0) / 1000) }),
    /** Date.now() of the first container create after t0. */
    firstCreate: (t0) => Math.min(...creates.filter((t) => t >= t0)),
    waitFor(n, t0, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const after = starts.filter((t) => t >= t0).sort((a, b) => a - b);
          if (after.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(after[n - 1]);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`only ${count(t0)} of ${n} containers started within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      for (const s of streams) s.destroy?.();
    },
  };
}

/** Running containers with `label` on one engine. */
export async function runningWith(engine, label) {
  return (await engine.listContainers({ filters: { label: [label], status: ['running'] } })).length;
}

/** Removes every container (running or not) with `label` on the engines. */
export async function removeAllWith(engines, label) {
  await Promise.all(
    engines.map(async (e) => {
      const list = await e.listContainers({ all: true, filters: { label: [label] } });
      await Promise.all(list.map((c) => e.getContainer(c.Id).remove({ force: true }).catch(() => {})));
    }),
  );
}

/** Runs `fn` on every item, at most `n` at a time. */
export async function inPool(items, n, fn) {
  let next = 0;
  const runner = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, runner));
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const spread = (xs) => Math.max(...xs) - Math.min(...xs);
export const round = (x, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

const TICKS_PER_S = 100;

/** CPU seconds (user + system) used so far by the live processes among `pids`. */
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / TICKS_PER_S;
}

/** The pids of a netns host's dockerd and its direct children (containerd). */
export function enginePids(host) {
  try {
    const pid = Number(readFileSync(host.layout.docker.pidFile, 'utf8').trim());
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...children];
  } catch {
    return [];
  }
}
