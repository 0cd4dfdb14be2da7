import type { IptablesRules, TableRules } from './iptables-rules.js';

/** Dispatch chains (one rule per port): patched rule by rule instead of rewritten. */
const INCREMENTAL = new Set(['SHOAL-INGRESS', 'SHOAL-IPVS-MARK']);

function sameLines(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((l, i) => l === b[i]);
}

/** Lines of `b` not matched one-for-one by a line of `a` (a multiset difference, order kept). */
function extra(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const l of a) left.set(l, (left.get(l) ?? 0) + 1);
  return b.filter((l) => {
    const n = left.get(l) ?? 0;
    if (n > 0) left.set(l, n - 1);
    return n === 0;
  });
}

/**
 * The `iptables-restore --noflush` lines of one table that take `from` to `to`: changed and new
 * chains declared (which flushes them) and refilled, SHOAL-INGRESS patched rule by rule, jumps
 * added or deleted, chains that went flushed and deleted last. Empty when nothing differs.
 */
export function tableDelta(name: 'nat' | 'filter' | 'mangle', from: TableRules, to: TableRules): string[] {
  const declare: string[] = [];
  const fill: string[] = [];
  const patch: string[] = [];
  for (const [chain, lines] of to.chains) {
    const had = from.chains.get(chain);
    if (INCREMENTAL.has(chain) && had !== undefined) {
      patch.push(...extra(lines, had).map((l) => `-D ${chain} ${l}`), ...extra(had, lines).map((l) => `-A ${chain} ${l}`));
    } else if (!sameLines(had, lines)) {
      declare.push(`:${chain} - [0:0]`);
      fill.push(...lines.map((l) => `-A ${chain} ${l}`));
    }
  }
  const jumps = [...extra(to.jumps, from.jumps).map((j) => `-D ${j}`), ...extra(from.jumps, to.jumps).map((j) => `-I ${j.replace(' ', ' 1 ')}`)];
  const gone = [...from.chains.keys()].filter((c) => !to.chains.has(c));
  const drop = [...gone.map((c) => `-F ${c}`), ...gone.map((c) => `-X ${c}`)];
  const body = [...declare, ...fill, ...patch, ...jumps, ...drop];
  return body.length === 0 ? [] : [`*${name}`, ...body, 'COMMIT'];
}

/** The whole `iptables-restore --noflush` input from `from` to `to`; '' when nothing changes. */
export function iptablesDelta(from: IptablesRules, to: IptablesRules): string {
  const lines = [...tableDelta('nat', from.nat, to.nat), ...tableDelta('filter', from.filter, to.filter)];
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
