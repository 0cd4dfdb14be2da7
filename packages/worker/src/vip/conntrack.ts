import type { VipTarget } from './vip-plan.js';

/** One tracked connection, as `conntrack -L` prints it: original direction and reply source. */
export interface TrackedConnection {
  protocol: string;
  /** Original destination: the VIP for a connection made to one. */
  dst: string;
  /** Reply source: the backend the connection was translated to (equal to dst when untranslated). */
  replySrc: string;
}

/** A `conntrack -D` to run: every connection from `vip` to `backend`. */
export interface StaleFlow {
  vip: string;
  backend: string;
}

/** Lines of `conntrack -L` (default format). Lines that do not parse are skipped. */
export function parseConntrack(text: string): TrackedConnection[] {
  const out: TrackedConnection[] = [];
  for (const line of text.split('\n')) {
    const protocol = line.trimStart().split(/\s+/, 1)[0];
    const dsts = [...line.matchAll(/\bdst=(\S+)/g)].map((m) => m[1]!);
    const srcs = [...line.matchAll(/\bsrc=(\S+)/g)].map((m) => m[1]!);
    if (!protocol || dsts.length < 2 || srcs.length < 2) continue;
    out.push({ protocol, dst: dsts[0]!, replySrc: srcs[1]! });
  }
  return out;
}

/**
 * The (VIP, backend) pairs of tracked connections that go to a backend the VIP no longer has
 * (or to any backend, for a VIP with none): deleting them makes the next packet of the flow a new
 * one, which the current rules send to a serving backend or refuse. Deduplicated, sorted.
 */
export function staleFlows(tracked: readonly TrackedConnection[], vips: readonly VipTarget[]): StaleFlow[] {
  const backends = new Map(vips.map((v) => [v.vip, new Set(v.backends)]));
  const seen = new Set<string>();
  const out: StaleFlow[] = [];
  for (const c of tracked) {
    if (c.replySrc === c.dst) continue;
    const live = backends.get(c.dst);
    if (!live || live.has(c.replySrc)) continue;
    const key = `${c.dst} ${c.replySrc}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ vip: c.dst, backend: c.replySrc });
  }
  return out.sort((a, b) => (a.vip + ' ' + a.backend < b.vip + ' ' + b.backend ? -1 : 1));
}

/** The arguments of the `conntrack -D` that deletes one stale flow. */
export function conntrackDeleteArgs(f: StaleFlow): string[] {
  return ['-D', '-d', f.vip, '-r', f.backend];
}

/** A stale flow as the two arguments (VIP, backend) of the balancer's deletion loop. */
export function conntrackPair(f: StaleFlow): [string, string] {
  return [f.vip, f.backend];
}

/** The pairs among `removed` that some tracked connection still goes to: only those need a `conntrack -D`. */
export function pairsInUse(tracked: readonly TrackedConnection[], removed: readonly StaleFlow[]): StaleFlow[] {
  const inUse = new Set(tracked.map((c) => `${c.dst} ${c.replySrc}`));
  return removed.filter((p) => inUse.has(`${p.vip} ${p.backend}`));
}
