import type { MeshPort, MeshState } from './mesh-state.js';

/**
 * The nftables backend as data: one table of shoal's own, written as `nft list table` prints
 * it, so that what is programmed reads back line for line. Backends live in maps, not in rules:
 *
 *   table ip shoal_ingress
 *     map ports     (proto . port) : verdict              tcp . 8080 : goto pick-2
 *     map backends  (proto . port . slot) : (addr . port) tcp . 8080 . 0 : 10.0.0.5 . 80, tcp . 8080 . 1 : ...
 *     chain prerouting / output (nat, dstnat): fib daddr type local meta l4proto . th dport vmap @ports
 *     chain pick-N (N = 1..8, and any larger backend count in use): mark 0x4000;
 *         dnat ip to meta l4proto . th dport . numgen random mod N map @backends
 *     chain postrouting (nat, srcnat): SNAT marked loopback clients (and, in 'snat' mode, every
 *       marked connection leaving through the ingress bridge) to the node's ingress address
 *
 * So a change of backends is a few map elements, whatever the number of ports (the nft tool's
 * cost grows with the number of chains, and there are only a few). The pick chains are written
 * with the table only: nft 1.0.6 refuses `add rule` with a lookup in a `typeof` map it read back
 * from the kernel ("conflicting protocols specified: ip vs. th"), so a backend count above 8
 * seen for the first time rewrites the table (once).
 * FORWARD is left to iptables' SHOAL-FORWARD: an accept in a table of our own cannot overrule the
 * DROP policy of Docker's FORWARD chain.
 */
export const NFT_TABLE = 'shoal_ingress';
const T = `ip ${NFT_TABLE}`;
const MARK = '0x00004000';
const PORTS_TYPE = 'type inet_proto . inet_service : verdict';
const BACKENDS_TYPE = 'typeof meta l4proto . th dport . numgen random mod 2 : ip daddr . th dport';

export interface NftRules {
  exists: boolean;
  /** Both maps declared with our types (a table without them is rewritten whole). */
  maps: boolean;
  /** Every chain, base chains with their `type ...` line first. */
  chains: Map<string, string[]>;
  /** `ports` elements by key "tcp . 8080", value "goto pick-2". */
  ports: Map<string, string>;
  /** `backends` elements by key "tcp . 8080 . 0", value "10.0.0.5 . 80". */
  backends: Map<string, string>;
}

const BASE: Record<string, string> = {
  prerouting: 'type nat hook prerouting priority dstnat; policy accept;',
  output: 'type nat hook output priority -100; policy accept;',
  postrouting: 'type nat hook postrouting priority srcnat; policy accept;',
};
const DISPATCH = 'fib daddr type local meta l4proto . th dport vmap @ports';

export const pickChain = (n: number): string => `pick-${n}`;
const PICK_CHAINS = 8;
const pickRules = (n: number): string[] => [`meta mark set meta mark | ${MARK}`, `dnat ip to meta l4proto . th dport . numgen random mod ${n} map @backends`];

function postrouting(s: MeshState): string[] {
  const lines = [BASE.postrouting!, `ip saddr 127.0.0.0/8 meta mark & ${MARK} == ${MARK} snat to ${s.nodeAddress}`];
  if (s.mode === 'snat') lines.push(`oifname "${s.bridge}" meta mark & ${MARK} == ${MARK} snat to ${s.nodeAddress}`);
  return lines;
}

function addPort(r: NftRules, p: MeshPort): void {
  const key = `${p.protocol} . ${p.publishedPort}`;
  r.ports.set(key, `goto ${pickChain(p.backends.length)}`);
  p.backends.forEach((b, i) => r.backends.set(`${key} . ${i}`, `${b.ip} . ${b.port}`));
}

/**
 * The table for `state` (absent when the mesh is off); with `keys`, only those ports' elements
 * (O(change)), while the pick chains always follow every backend count in use.
 */
export function nftRules(state: MeshState | undefined, keys?: readonly string[]): NftRules {
  const r: NftRules = { exists: !!state, maps: !!state, chains: new Map(), ports: new Map(), backends: new Map() };
  if (!state) return r;
  r.chains.set('prerouting', [BASE.prerouting!, DISPATCH]).set('output', [BASE.output!, DISPATCH]).set('postrouting', postrouting(state));
  const counts = new Set<number>(Array.from({ length: PICK_CHAINS }, (_, i) => i + 1));
  for (const p of state.ports.values()) counts.add(p.backends.length);
  for (const n of [...counts].sort((a, b) => a - b)) r.chains.set(pickChain(n), pickRules(n));
  for (const p of keys ? keys.flatMap((k) => state.ports.get(k) ?? []) : state.ports.values()) addPort(r, p);
  return r;
}

/** `nft list table ip shoal_ingress` read back (empty text or an error: no table). */
export function parseNftTable(text: string): NftRules {
  const r: NftRules = { exists: /^table ip shoal_ingress \{/m.test(text), maps: false, chains: new Map(), ports: new Map(), backends: new Map() };
  let chain: string[] | undefined;
  let map: Map<string, string> | undefined;
  let types = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const c = /^chain (\S+) \{$/.exec(line);
    if (c) chain = r.chains.set(c[1]!, []).get(c[1]!)!;
    else if (line === 'map ports {') map = r.ports;
    else if (line === 'map backends {') map = r.backends;
    else if (line === '}') [chain, map] = [undefined, undefined];
    else if (map && (line === PORTS_TYPE || line === BACKENDS_TYPE)) types++;
    else if (map) for (const m of line.replace(/^elements = \{/, '').split(',')) addElement(map, m);
    else if (chain && line !== '') chain.push(line);
  }
  r.maps = types === 2;
  return r;
}

function addElement(map: Map<string, string>, text: string): void {
  const m = /^\s*(.+?) : (.+?)\s*\}?\s*$/.exec(text);
  if (m) map.set(m[1]!, m[2]!);
}

const elements = (m: Map<string, string>): string => [...m].map(([k, v]) => `${k} : ${v}`).join(', ');

/** The whole table, replacing whatever is there in one transaction. */
export function nftFullScript(to: NftRules): string {
  const reset = [`table ${T}`, `delete table ${T}`];
  if (!to.exists) return reset.join('\n') + '\n';
  const map = (name: string, type: string, m: Map<string, string>) => `\tmap ${name} { ${type}; ${m.size ? `elements = { ${elements(m)} } ` : ''}}`;
  const chains = [...to.chains].map(([name, lines]) => {
    const head = BASE[name] ? `${lines[0]} ` : '';
    const rules = BASE[name] ? lines.slice(1) : lines;
    return `\tchain ${name} { ${head}${rules.map((l) => `${l}; `).join('')}}`;
  });
  return [...reset, `table ${T} {`, map('ports', PORTS_TYPE, to.ports), map('backends', BACKENDS_TYPE, to.backends), ...chains, '}'].join('\n') + '\n';
}

const same = (a: readonly string[] | undefined, b: readonly string[]): boolean => a !== undefined && a.length === b.length && a.every((l, i) => l === b[i]);

/** Element deletions and additions that take map `from` to map `to` (a changed value: deleted, then added). */
function mapDelta(name: string, from: Map<string, string>, to: Map<string, string>): { del: string[]; add: string[] } {
  const del: string[] = [];
  const add: string[] = [];
  for (const [k, v] of from) if (to.get(k) !== v) del.push(`${k} : ${v}`);
  for (const [k, v] of to) if (from.get(k) !== v) add.push(`${k} : ${v}`);
  const line = (verb: string, els: string[]) => (els.length ? [`${verb} element ${T} ${name} { ${els.join(', ')} }`] : []);
  return { del: line('delete', del), add: line('add', add) };
}

/**
 * The nft script from `from` to `to`, one transaction: base chains flushed and refilled, map
 * elements deleted and added (pick chains no port uses stay); the whole table when it is missing,
 * lacks a map, a base chain has another type line or a pick chain is missing or differs; '' when
 * nothing changes.
 */
export function nftDelta(from: NftRules, to: NftRules): string {
  if (!from.exists && !to.exists) return '';
  const header = (r: NftRules, b: string): string | undefined => r.chains.get(b)?.[0];
  if (!from.exists || !to.exists || !from.maps || Object.keys(BASE).some((b) => header(from, b) !== header(to, b))) return nftFullScript(to);
  const changed = [...to.chains].filter(([name, rules]) => !same(from.chains.get(name), rules));
  if (changed.some(([name]) => !BASE[name])) return nftFullScript(to);
  const lines = changed.flatMap(([name, rules]) => [`flush chain ${T} ${name}`, ...rules.slice(1).map((r) => `add rule ${T} ${name} ${r}`)]);
  const ports = mapDelta('ports', from.ports, to.ports);
  const backends = mapDelta('backends', from.backends, to.backends);
  lines.push(...ports.del, ...backends.del, ...backends.add, ...ports.add);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
