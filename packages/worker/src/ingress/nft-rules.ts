import type { MeshPort, MeshState } from './mesh-state.js';

/**
 * The nftables backend as data: one table of shoal's own, rules written as `nft list table`
 * prints them, so that what is programmed reads back line for line.
 *
 *   table ip shoal_ingress
 *     map ports  { inet_proto . inet_service : verdict }   tcp . 8080 : goto svc-tcp-8080
 *     chain prerouting / output (nat, dstnat): fib daddr type local meta l4proto . th dport vmap @ports
 *     chain svc-tcp-8080: mark 0x4000; dnat to numgen random mod N map { 0 : B0 . P0, ... }
 *     chain postrouting (nat, srcnat): SNAT marked loopback clients (and, in 'snat' mode, every
 *       marked connection leaving through the ingress bridge) to the node's ingress address
 *
 * One port is one map element and one chain, so a change is one element and one chain flushed
 * and refilled, in one transaction. FORWARD is left to iptables' SHOAL-FORWARD: an accept in a
 * table of our own cannot overrule the DROP policy of Docker's FORWARD chain.
 */
export const NFT_TABLE = 'shoal_ingress';
const T = `ip ${NFT_TABLE}`;
const MAP = 'ports';
const MARK = '0x00004000';

export interface NftRules {
  exists: boolean;
  /** Whether the `ports` map is declared (a table without it gets rewritten whole). */
  map: boolean;
  /** Every chain, base chains with their `type ...` line first. */
  chains: Map<string, string[]>;
  /** Map elements `tcp . 8080 : goto svc-tcp-8080`, by port key. */
  elements: Map<string, string>;
}

const BASE: Record<string, string> = {
  prerouting: 'type nat hook prerouting priority dstnat; policy accept;',
  output: 'type nat hook output priority -100; policy accept;',
  postrouting: 'type nat hook postrouting priority srcnat; policy accept;',
};
const DISPATCH = `fib daddr type local meta l4proto . th dport vmap @${MAP}`;

export function nftChain(p: Pick<MeshPort, 'protocol' | 'publishedPort'>): string {
  return `svc-${p.protocol}-${p.publishedPort}`;
}

export function nftServiceRules(p: MeshPort): string[] {
  const only = p.backends.length === 1 ? p.backends[0] : undefined;
  const dnat = only
    ? `dnat to ${only.ip}:${only.port}`
    : `dnat ip to numgen random mod ${p.backends.length} map { ${p.backends.map((b, i) => `${i} : ${b.ip} . ${b.port}`).join(', ')} }`;
  return [`meta mark set meta mark | ${MARK}`, `meta l4proto ${p.protocol} ${dnat}`];
}

const element = (p: MeshPort): string => `${p.protocol} . ${p.publishedPort} : goto ${nftChain(p)}`;

function postrouting(s: MeshState): string[] {
  const lines = [BASE.postrouting!, `ip saddr 127.0.0.0/8 meta mark & ${MARK} == ${MARK} snat to ${s.nodeAddress}`];
  if (s.mode === 'snat') lines.push(`oifname "${s.bridge}" meta mark & ${MARK} == ${MARK} snat to ${s.nodeAddress}`);
  return lines;
}

/** The table for `state` (absent when the mesh is off); with `keys`, only those ports (O(change)). */
export function nftRules(state: MeshState | undefined, keys?: readonly string[]): NftRules {
  if (!state) return { exists: false, map: false, chains: new Map(), elements: new Map() };
  const ports = keys ? keys.flatMap((k) => state.ports.get(k) ?? []) : [...state.ports.values()];
  const chains = new Map<string, string[]>([
    ['prerouting', [BASE.prerouting!, DISPATCH]],
    ['output', [BASE.output!, DISPATCH]],
    ['postrouting', postrouting(state)],
  ]);
  const elements = new Map<string, string>();
  for (const p of ports) {
    chains.set(nftChain(p), nftServiceRules(p));
    elements.set(`${p.protocol}/${p.publishedPort}`, element(p));
  }
  return { exists: true, map: true, chains, elements };
}

/** `nft list table ip shoal_ingress` read back (empty text or an error: no table). */
export function parseNftTable(text: string): NftRules {
  const out: NftRules = { exists: /^table ip shoal_ingress \{/m.test(text), map: false, chains: new Map(), elements: new Map() };
  let chain: string[] | undefined;
  let inMap = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const c = /^chain (\S+) \{$/.exec(line);
    if (c) chain = out.chains.set(c[1]!, []).get(c[1]!)!;
    else if (line.startsWith(`map ${MAP} {`)) inMap = out.map = true;
    else if (line === '}') [chain, inMap] = [undefined, false];
    else if (inMap) for (const m of line.matchAll(/(tcp|udp) \. (\d+) : goto ([\w-]+)/g)) out.elements.set(`${m[1]}/${m[2]}`, `${m[1]} . ${m[2]} : goto ${m[3]}`);
    else if (chain && line !== '') chain.push(line);
  }
  return out;
}

function chainBody(name: string, lines: readonly string[]): string {
  const rules = BASE[name] ? lines.slice(1) : lines;
  const head = BASE[name] ? `${BASE[name]} ` : '';
  return `chain ${name} { ${head}${rules.map((r) => `${r}; `).join('')}}`;
}

/** The whole table, replacing whatever is there in one transaction. */
export function nftFullScript(to: NftRules): string {
  const reset = [`table ${T}`, `delete table ${T}`];
  if (!to.exists) return reset.join('\n') + '\n';
  const elements = [...to.elements.values()];
  const map = `map ${MAP} { type inet_proto . inet_service : verdict; ${elements.length ? `elements = { ${elements.join(', ')} }` : ''} }`;
  const chains = [...to.chains].map(([n, l]) => `\t${chainBody(n, l)}`);
  return [...reset, `table ${T} {`, `\t${map}`, ...chains, '}'].join('\n') + '\n';
}

const same = (a: readonly string[] | undefined, b: readonly string[]): boolean => a !== undefined && a.length === b.length && a.every((l, i) => l === b[i]);

/**
 * The nft script from `from` to `to`: ports' chains added, flushed and refilled or deleted, map
 * elements added or deleted, in one transaction; the whole table when it is missing or one of its
 * base chains differs (a crash, another version); '' when nothing changes.
 */
export function nftDelta(from: NftRules, to: NftRules): string {
  if (!from.exists && !to.exists) return '';
  const header = (r: NftRules, b: string): string | undefined => r.chains.get(b)?.[0];
  if (!from.exists || !to.exists || !from.map || Object.keys(BASE).some((b) => header(from, b) !== header(to, b))) return nftFullScript(to);
  const lines: string[] = [];
  for (const [name, rules] of to.chains) {
    const had = from.chains.get(name);
    if (same(had, rules)) continue;
    const body = BASE[name] ? rules.slice(1) : rules;
    lines.push(had ? `flush chain ${T} ${name}` : `add chain ${T} ${name}`, ...body.map((r) => `add rule ${T} ${name} ${r}`));
  }
  for (const [k, e] of from.elements) if (to.elements.get(k) !== e) lines.push(`delete element ${T} ${MAP} { ${e} }`);
  for (const [k, e] of to.elements) if (from.elements.get(k) !== e) lines.push(`add element ${T} ${MAP} { ${e} }`);
  for (const name of from.chains.keys()) if (!to.chains.has(name)) lines.push(`delete chain ${T} ${name}`);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
