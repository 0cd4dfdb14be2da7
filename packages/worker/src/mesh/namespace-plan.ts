import { isIpv4 } from '../vip/vip-plan.js';
import { hex32, isIfname, MESH_ROUTE_TABLE, MESH_RULE_PREF, meshScript, subnetMark, type MeshNode } from './reply-rules.js';

/** What one task namespace must have: its ingress interface is the one holding `address`. */
export interface MeshTarget {
  /** The task's plain address on the ingress network. */
  address: string;
  /** The ingress network's subnet (CIDR) and gateway (plain). */
  subnet: string;
  gateway: string;
  nodes: MeshNode[];
}

/** What a namespace has now, as read by one `nsenter sh` (see io/namespace-io.ts). */
export interface ObservedNamespace {
  /** The interface holding the target address; undefined when none does (yet). */
  ifname: string | undefined;
  /** Whether exactly our fwmark rule is there, at our priority. */
  rule: boolean;
  /** Other rules at our priority (stale: another subnet). */
  staleRules: number;
  /** Whether table 4242 has the default route via the gateway out of the interface. */
  route: boolean;
  /** The effective rp_filter of the interface: max(all, interface). */
  rpFilter: number;
}

/** What to run in the namespace: `ip -batch` lines, the interface whose rp_filter becomes loose (2), and the nft text. */
export interface NamespaceWrite {
  ifname: string;
  ipLines: string[];
  rpFilterDev: string | undefined;
  nft: string;
}

type Json = Record<string, unknown>;
const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The interface holding `address`, from `ip -j -4 addr show`. */
export function ifnameOf(addrJson: unknown, address: string): string | undefined {
  for (const l of asArray(addrJson)) if (asArray(l.addr_info).some((a) => str(a.local) === address)) return str(l.ifname) || undefined;
  return undefined;
}

/** Reads the namespace from the tools' JSON and `path:value` rp_filter lines. */
export function observeNamespace(t: MeshTarget, addrJson: unknown, ruleJson: unknown, routeJson: unknown, rpLines: string): ObservedNamespace {
  const ifname = ifnameOf(addrJson, t.address);
  const m = subnetMark(t.subnet);
  const ours = asArray(ruleJson).filter((r) => Number(r.priority) === MESH_RULE_PREF);
  const exact = (r: Json) => m !== undefined && Number(str(r.fwmark)) === m.mark && Number(str(r.fwmask) || '0xffffffff') === m.mask && str(r.table) === String(MESH_ROUTE_TABLE);
  const rule = ours.some(exact);
  const route = asArray(routeJson).some((r) => str(r.dst) === 'default' && str(r.gateway) === t.gateway && str(r.dev) === ifname);
  const rp = new Map<string, number>();
  for (const line of rpLines.split('\n')) {
    const hit = /\/conf\/([^/]+)\/rp_filter:(\d)$/.exec(line.trim());
    if (hit) rp.set(hit[1]!, Number(hit[2]));
  }
  const rpFilter = Math.max(rp.get('all') ?? 0, ifname ? (rp.get(ifname) ?? 0) : 0);
  return { ifname, rule, staleRules: ours.filter((r) => !exact(r)).length, route, rpFilter };
}

/**
 * What makes the namespace right: the nft tables always (one atomic replace: cheap, and it
 * adopts whatever a crash left), the rule, route and rp_filter only when they are not as wanted.
 * Throws one line when the namespace cannot be programmed (no interface holds the address).
 */
export function planNamespace(t: MeshTarget, o: ObservedNamespace): NamespaceWrite {
  const m = subnetMark(t.subnet);
  if (!m || !isIpv4(t.gateway) || !isIpv4(t.address)) throw new Error(`bad ingress network facts: subnet ${t.subnet}, gateway ${t.gateway}, address ${t.address}`);
  if (!o.ifname) throw new Error(`no interface holds the ingress address ${t.address}`);
  if (!isIfname(o.ifname)) throw new Error(`unexpected interface name ${JSON.stringify(o.ifname)}`);
  const ipLines: string[] = [];
  if (!o.rule || o.staleRules > 0) {
    for (let i = 0; i < o.staleRules + (o.rule ? 1 : 0); i++) ipLines.push(`rule del pref ${MESH_RULE_PREF}`);
    ipLines.push(`rule add pref ${MESH_RULE_PREF} fwmark ${hex32(m.mark)}/${hex32(m.mask)} lookup ${MESH_ROUTE_TABLE}`);
  }
  if (!o.route) ipLines.push(`route replace default via ${t.gateway} dev ${o.ifname} table ${MESH_ROUTE_TABLE}`);
  return { ifname: o.ifname, ipLines, rpFilterDev: o.rpFilter === 1 ? o.ifname : undefined, nft: meshScript(o.ifname, t.address, t.nodes) };
}

/** `ip -batch` lines that take the rule and route away (swarm leave); errors for missing ones are expected. */
export function namespaceRemovalLines(): string[] {
  return [`rule del pref ${MESH_RULE_PREF}`, `route flush table ${MESH_ROUTE_TABLE}`];
}
