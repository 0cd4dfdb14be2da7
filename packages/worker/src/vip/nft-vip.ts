import type { VipTarget } from './vip-plan.js';

/**
 * The nftables script that gives one container's network namespace its VIP rules, replacing
 * whatever shoal put there before in one transaction (`nft -f -` is atomic):
 *
 *   nat output (prio -100)  SHOAL-VIP: ip daddr vmap { VIP : jump SHOAL-VIP-<VIP> }
 *                           SHOAL-VIP-<VIP>: dnat to numgen random mod k map { 0 : B0, ... }
 *   filter output (prio 0)  SHOAL-VIP-REJECT: VIPs without a serving backend are refused
 *                           (tcp reset, else icmp port unreachable)
 *
 * By destination address only, so TCP, UDP and ICMP alike; no SNAT, so the backend sees the
 * caller's own address. A namespace without VIPs gets the table removed.
 */
export const VIP_TABLE = 'shoal_vip';
export const VIP_CHAIN = 'SHOAL-VIP';
export const VIP_REJECT_CHAIN = 'SHOAL-VIP-REJECT';
const DEAD_SET = 'vip-dead';

export function vipChain(vip: string): string {
  return `${VIP_CHAIN}-${vip}`;
}

/** `dnat to` for one VIP: its only backend, or an even random pick among k. */
function dnatRule(backends: readonly string[]): string {
  if (backends.length === 1) return `dnat to ${backends[0]}`;
  const map = backends.map((b, i) => `${i} : ${b}`).join(', ');
  return `dnat to numgen random mod ${backends.length} map { ${map} }`;
}

export function nftVipScript(vips: readonly VipTarget[]): string {
  const reset = [`table ip ${VIP_TABLE}`, `delete table ip ${VIP_TABLE}`];
  if (vips.length === 0) return reset.join('\n') + '\n';
  const live = vips.filter((v) => v.backends.length > 0);
  const dead = vips.filter((v) => v.backends.length === 0);
  const lines = [...reset, `table ip ${VIP_TABLE} {`];
  if (dead.length > 0) {
    lines.push(`\tset ${DEAD_SET} {`, '\t\ttype ipv4_addr', `\t\telements = { ${dead.map((v) => v.vip).join(', ')} }`, '\t}');
  }
  if (live.length > 0) {
    const vmap = live.map((v) => `${v.vip} : jump ${vipChain(v.vip)}`).join(', ');
    lines.push(`\tchain ${VIP_CHAIN} {`, '\t\ttype nat hook output priority -100; policy accept;', `\t\tip daddr vmap { ${vmap} }`, '\t}');
    for (const v of live) lines.push(`\tchain ${vipChain(v.vip)} {`, `\t\t${dnatRule(v.backends)}`, '\t}');
  }
  if (dead.length > 0) {
    lines.push(
      `\tchain ${VIP_REJECT_CHAIN} {`,
      '\t\ttype filter hook output priority 0; policy accept;',
      `\t\tip daddr @${DEAD_SET} meta l4proto tcp reject with tcp reset`,
      `\t\tip daddr @${DEAD_SET} reject`,
      '\t}',
    );
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * The smaller script that takes a namespace from `before` to `after` when only the backends of
 * VIPs that keep at least one changed (the common case: a task stopped, started, turned
 * unhealthy): those VIPs' chains are flushed and refilled, in one transaction. Undefined when
 * the shape changed (a VIP added, removed, or left without backends): write the whole script.
 */
export function nftVipDelta(before: readonly VipTarget[], after: readonly VipTarget[]): string | undefined {
  if (before.length !== after.length) return undefined;
  const lines: string[] = [];
  for (let i = 0; i < after.length; i++) {
    const b = before[i]!;
    const a = after[i]!;
    if (a.vip !== b.vip || (a.backends.length === 0) !== (b.backends.length === 0)) return undefined;
    if (a.backends.length === 0 || a.backends.join(',') === b.backends.join(',')) continue;
    const chain = `ip ${VIP_TABLE} ${vipChain(a.vip)}`;
    lines.push(`flush chain ${chain}`, `add rule ${chain} ${dnatRule(a.backends)}`);
  }
  return lines.join('\n') + '\n';
}

/** The script that removes shoal's VIP table from a namespace (a no-op when it is absent). */
export function nftVipRemoval(): string {
  return nftVipScript([]);
}
