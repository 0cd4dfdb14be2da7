import { type MeshPort, type MeshState } from './mesh-state.js';

/**
 * The iptables backend as data. Rules are kept as `iptables-save` prints them, so what is
 * programmed can be read back and compared line by line:
 *
 *   nat PREROUTING/OUTPUT --dst-type LOCAL ─▶ SHOAL-INGRESS ─(proto, dport)─▶ SHOAL-SVC-<port>-<proto>
 *       SHOAL-SVC-*: mark 0x4000, then DNAT to one backend (statistic random 1/n, 1/(n-1), ...)
 *   nat POSTROUTING ─▶ SHOAL-POSTROUTING: SNAT marked loopback clients (and, in 'snat' mode,
 *       every marked connection leaving through the ingress bridge) to the node's ingress address
 *   filter FORWARD  ─▶ SHOAL-FORWARD: ACCEPT marked packets and the rest of DNATed connections
 *
 * SHOAL-INGRESS is edited rule by rule (-A/-D); every other chain is rewritten whole when its
 * lines differ (declaring a chain in `iptables-restore --noflush` flushes it). So one change to
 * one port is a few lines of input, whatever the number of ports.
 */
export const INGRESS_CHAIN = 'SHOAL-INGRESS';
export const POSTROUTING_CHAIN = 'SHOAL-POSTROUTING';
export const FORWARD_CHAIN = 'SHOAL-FORWARD';
export const INGRESS_MARK = '0x4000/0x4000';

export interface TableRules {
  /** SHOAL-* chains and their rules (without the `-A CHAIN ` prefix). */
  chains: Map<string, string[]>;
  /** Rules of built-in chains that jump to ours, as `CHAIN rest` (e.g. "FORWARD -j SHOAL-FORWARD"). */
  jumps: string[];
}

export interface IptablesRules {
  nat: TableRules;
  filter: TableRules;
}


export function serviceChain(p: Pick<MeshPort, 'publishedPort' | 'protocol'>): string {
  return `SHOAL-SVC-${p.publishedPort}-${p.protocol}`;
}

/** Rule i of n takes 1/(n-i) of what reaches it; as iptables stores (u32 of 2^31) and prints it. */
export function probability(i: number, n: number): string {
  return (Math.round(0x80000000 / (n - i)) / 0x80000000).toFixed(11);
}

export function serviceRules(p: MeshPort): string[] {
  const n = p.backends.length;
  return [
    `-j MARK --set-xmark ${INGRESS_MARK}`,
    ...p.backends.map((b, i) => {
      const pick = i < n - 1 ? `-m statistic --mode random --probability ${probability(i, n)} ` : '';
      return `-p ${p.protocol} ${pick}-j DNAT --to-destination ${b.ip}:${b.port}`;
    }),
  ];
}

export function dispatchRule(p: Pick<MeshPort, 'publishedPort' | 'protocol'>): string {
  return `-p ${p.protocol} -m ${p.protocol} --dport ${p.publishedPort} -j ${serviceChain(p)}`;
}

function postroutingRules(s: MeshState): string[] {
  const lines = [`-s 127.0.0.0/8 -m mark --mark ${INGRESS_MARK} -j SNAT --to-source ${s.nodeAddress}`];
  if (s.mode === 'snat') lines.push(`-o ${s.bridge} -m mark --mark ${INGRESS_MARK} -j SNAT --to-source ${s.nodeAddress}`);
  return lines;
}

/** The filter part: the same for every mode, and used by the nftables and ipvs backends too (Docker's FORWARD drops). */
export function forwardRules(): TableRules {
  return {
    chains: new Map([[FORWARD_CHAIN, [`-m mark --mark ${INGRESS_MARK} -j ACCEPT`, '-m conntrack --ctstate DNAT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT']]]),
    jumps: [`FORWARD -j ${FORWARD_CHAIN}`],
  };
}

export const emptyRules = (): IptablesRules => ({ nat: { chains: new Map(), jumps: [] }, filter: { chains: new Map(), jumps: [] } });

/**
 * The rules for `state`; with `keys`, only those ports' chains and dispatch rules (plus the small
 * fixed chains), so that comparing two renderings of the same keys costs O(change).
 */
export function iptablesRules(state: MeshState | undefined, keys?: readonly string[]): IptablesRules {
  if (!state) return emptyRules();
  const ports = keys ? keys.flatMap((k) => state.ports.get(k) ?? []) : [...state.ports.values()];
  const chains = new Map<string, string[]>([
    [INGRESS_CHAIN, ports.map(dispatchRule)],
    [POSTROUTING_CHAIN, postroutingRules(state)],
  ]);
  for (const p of ports) chains.set(serviceChain(p), serviceRules(p));
  const jumps = [`PREROUTING -m addrtype --dst-type LOCAL -j ${INGRESS_CHAIN}`, `OUTPUT -m addrtype --dst-type LOCAL -j ${INGRESS_CHAIN}`, `POSTROUTING -j ${POSTROUTING_CHAIN}`];
  return { nat: { chains, jumps }, filter: forwardRules() };
}

/** What `iptables-save` shows of shoal in one table's section (`*nat` ... `COMMIT`). */
export function parseSaved(text: string, table: 'nat' | 'filter' | 'mangle'): TableRules {
  const out: TableRules = { chains: new Map(), jumps: [] };
  let inTable = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) inTable = line === `*${table}`;
    if (!inTable) continue;
    if (line.startsWith(':SHOAL-')) out.chains.set(line.slice(1).split(' ')[0]!, []);
    const m = /^-A (\S+) (.*)$/.exec(line);
    if (!m) continue;
    const [chain, rest] = [m[1]!, m[2]!];
    if (chain.startsWith('SHOAL-')) (out.chains.get(chain) ?? out.chains.set(chain, []).get(chain)!).push(rest);
    else if (/-j SHOAL-\S+$/.test(rest)) out.jumps.push(`${chain} ${rest}`);
  }
  return out;
}
