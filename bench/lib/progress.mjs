// Progress for long benchmarks: a line on stderr every few seconds (phase, counts, leader, the
// managers' RSS), so a stuck run is visible, and waits that fail with the counts when nothing
// moves for a while instead of sitting out a long timeout.
import { statusMb } from './loopback-cluster.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resident set (VmRSS) of a live process, in MiB; undefined once it is gone. */
export const rssMb = (pid) => statusMb(pid, 'VmRSS');

/**
 * Prints `[label t] phase: counts() · leader mN · rss m0/m1/m2` to stderr every `everyMs`.
 * `counts()` returns a short string, or a promise of one (the line shows the last answer); the
 * leader is asked in the background (never blocks the line).
 */
export function progressReporter({ label, cluster, counts, everyMs = 5_000 }) {
  const t0 = performance.now();
  let phase = 'starting';
  let leader = '?';
  let asking = false;
  const askLeader = () => {
    if (asking) return;
    asking = true;
    cluster
      .leaderIndex(4_000)
      .then((i) => (leader = `m${i}`), () => (leader = 'none'))
      .finally(() => (asking = false));
  };
  let shown = '';
  let counting = false;
  // One count in flight at most; a failed one (no leader) keeps the last answer. A count started
  // while another was in flight was left without a handler: its rejection ended the whole run.
  const count = () => {
    if (counting) return shown;
    const c = counts();
    if (typeof c === 'string') return (shown = c);
    counting = true;
    c.then((v) => (shown = v), () => {}).finally(() => (counting = false));
    return shown;
  };
  const timer = setInterval(() => {
    askLeader();
    const rss = cluster.members.map((m) => rssMb(m.pid) ?? '-').join('/');
    const t = ((performance.now() - t0) / 1000).toFixed(0);
    process.stderr.write(`[${label} ${t}s] ${phase}: ${count()} · leader ${leader} · rss MB ${rss}\n`);
  }, everyMs);
  timer.unref?.();
  return {
    phase: (p) => (phase = p),
    stop: () => clearInterval(timer),
  };
}

/**
 * Polls `probe` (→ { done, mark }) until `done`. `mark` summarises the counts: when it has not
 * changed for `stallMs`, or after `timeoutMs` in all, the wait fails with it. Errors count as no
 * change (the cluster may be electing).
 */
export async function untilProgress(what, probe, { stallMs = 120_000, timeoutMs = 1_800_000, everyMs = 100 } = {}) {
  const start = Date.now();
  let mark;
  let movedAt = start;
  let lastError;
  for (;;) {
    try {
      const r = await probe();
      if (r.done) return;
      if (r.mark !== mark) {
        mark = r.mark;
        movedAt = Date.now();
      }
    } catch (e) {
      lastError = e;
    }
    const now = Date.now();
    const why = now - movedAt > stallMs ? `no progress for ${Math.round(stallMs / 1000)} s` : now - start > timeoutMs ? `not done after ${Math.round(timeoutMs / 1000)} s` : undefined;
    if (why) throw new Error(`${why} waiting for ${what}: ${mark ?? 'no answer'}${lastError ? ` (last error: ${lastError.message})` : ''}`);
    await sleep(everyMs);
  }
}
