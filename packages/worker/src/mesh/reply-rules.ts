import { ipv4Value, macForAddress, type NetworkNodeEndpoint } from '@shoal/common';
import { compareAddr, isIpv4 } from '../vip/vip-plan.js';

/**
 * The reply path of the routing mesh inside one task's namespace (issue 11), as nft text. A
 * connection that a node hands in over the ingress network is marked with that node's address
 * (from the frame's source MAC: every node's ingress bridge has MAC `macForAddress(address)`);
 * replies carry the mark, are routed out of the ingress interface (ip rule by fwmark, table
 * 4242), and their destination MAC is rewritten to that node's, so they return through it and its
 * conntrack undoes the DNAT. Pure: the io shell writes the text into the namespace.
 */

export const MESH_TABLE = 'shoal_mesh';
export const MESH_L2_TABLE = 'shoal_mesh_l2';
/** Routing table and rule priority of the reply route (before `main`, 32766). */
export const MESH_ROUTE_TABLE = 4242;
export const MESH_RULE_PREF = 4242;
/** Bound on the nodes a namespace's maps hold (a table listing more is cut, with a warning). */
export const MAX_MESH_NODES = 4_096;

/** A node as the maps hold it: its MAC and its mark (its ingress IPv4 address as a u32). */
export interface MeshNode {
  address: string;
  mac: string;
  mark: number;
}


export const hex32 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

/** The nodes of the ingress network as map elements: valid IPv4 only, one per address, sorted, bounded. */
export function meshNodes(nodes: readonly NetworkNodeEndpoint[]): MeshNode[] {
  const seen = new Map<string, MeshNode>();
  for (const n of nodes) {
    if (!isIpv4(n.address) || n.address === '0.0.0.0' || seen.has(n.address)) continue;
    seen.set(n.address, { address: n.address, mac: macForAddress(n.address), mark: ipv4Value(n.address) });
  }
  return [...seen.values()].sort((a, b) => compareAddr(a.address, b.address)).slice(0, MAX_MESH_NODES);
}

/** The fwmark rule's value and mask: the subnet's address and netmask as u32 ("10.0.0.0/24" → 0x0a000000/0xffffff00). */
export function subnetMark(subnet: string): { mark: number; mask: number } | undefined {
  const [addr, len] = subnet.split('/');
  const prefix = Number(len);
  if (!addr || !isIpv4(addr) || !Number.isInteger(prefix) || prefix < 1 || prefix > 32) return undefined;
  const mask = prefix === 32 ? 0xffffffff : (0xffffffff - (2 ** (32 - prefix) - 1));
  return { mark: ipv4Value(addr) - (ipv4Value(addr) % 2 ** (32 - prefix)), mask };
}

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

/** An interface name that may go into a rule or a path. */
export function isIfname(name: string): boolean {
  return IFNAME.test(name) && name !== '.' && name !== '..';
}

const markElems = (nodes: readonly MeshNode[]) => nodes.map((n) => `${n.mac} : ${hex32(n.mark)}`).join(', ');
const macElems = (nodes: readonly MeshNode[]) => nodes.map((n) => `${hex32(n.mark)} : ${n.mac}`).join(', ');
const elements = (text: string) => (text === '' ? '' : ` elements = { ${text} };`);

/** How long a UDP peer of the mesh is remembered after its last datagram (conntrack's UDP stream timeout). */
export const UDP_PEER_TIMEOUT_S = 180;
/** Bound on the UDP peers remembered per namespace (the oldest are not evicted: new ones are not added). */
export const MAX_UDP_PEERS = 65_536;

/**
 * Both tables, replaced in one transaction (create, delete, create: works whether or not they
 * exist). Tracked connections keep their marks across a replace (they live in conntrack).
 *
 * UDP needs one more step: a server on an unconnected socket bound to 0.0.0.0 answers from the
 * address of its default route (another network), so its reply matches no tracked flow and gets
 * no mark. The pre chain remembers each mesh UDP peer (client address, client port, service
 * port); the `src` chain, before conntrack, gives a datagram to such a peer from that port the
 * task's ingress address, so it matches its flow, is marked and leaves through the right node.
 */
export function meshScript(ifname: string, address: string, nodes: readonly MeshNode[]): string {
  if (!isIfname(ifname)) throw new Error(`not an interface name: ${JSON.stringify(ifname)}`);
  if (!isIpv4(address)) throw new Error(`not an IPv4 address: ${JSON.stringify(address)}`);
  return [
    `table ip ${MESH_TABLE}`,
    `delete table ip ${MESH_TABLE}`,
    `table ip ${MESH_TABLE} {`,
    `\tmap node_marks { type ether_addr : mark;${elements(markElems(nodes))} }`,
    `\tset udp_peers { type ipv4_addr . inet_service . inet_service; flags dynamic, timeout; timeout ${UDP_PEER_TIMEOUT_S}s; size ${MAX_UDP_PEERS}; }`,
    `\tchain pre {`,
    `\t\ttype filter hook prerouting priority mangle;`,
    `\t\tiifname "${ifname}" ct state new ct mark set ether saddr map @node_marks`,
    `\t\tiifname "${ifname}" meta l4proto udp ct mark != 0 update @udp_peers { ip saddr . udp sport . udp dport }`,
    `\t}`,
    `\tchain src { type filter hook output priority raw; meta l4proto udp ip saddr != ${address} ip daddr . udp dport . udp sport @udp_peers ip saddr set ${address}; }`,
    `\tchain out { type route hook output priority mangle; ct mark != 0 meta mark set ct mark; }`,
    '}',
    `table netdev ${MESH_L2_TABLE}`,
    `delete table netdev ${MESH_L2_TABLE}`,
    `table netdev ${MESH_L2_TABLE} {`,
    `\tmap node_macs { type mark : ether_addr;${elements(macElems(nodes))} }`,
    `\tchain egress { type filter hook egress device "${ifname}" priority 0; meta mark != 0 ether daddr set meta mark map @node_macs; }`,
    '}',
    '',
  ].join('\n');
}

/**
 * Only the map elements that changed (a node joined, left, or changed address); '' when none did.
 * Elements are deleted before they are added, so a node whose address moved ends with its new one.
 */
export function meshNodesDelta(before: readonly MeshNode[], after: readonly MeshNode[]): string {
  const key = (n: MeshNode) => `${n.mac} ${n.mark}`;
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  const gone = before.filter((n) => !has.has(key(n)));
  const come = after.filter((n) => !had.has(key(n)));
  const lines: string[] = [];
  if (gone.length > 0) {
    lines.push(`delete element ip ${MESH_TABLE} node_marks { ${gone.map((n) => n.mac).join(', ')} }`);
    lines.push(`delete element netdev ${MESH_L2_TABLE} node_macs { ${gone.map((n) => hex32(n.mark)).join(', ')} }`);
  }
  if (come.length > 0) {
    lines.push(`add element ip ${MESH_TABLE} node_marks { ${markElems(come)} }`);
    lines.push(`add element netdev ${MESH_L2_TABLE} node_macs { ${macElems(come)} }`);
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** Both tables removed (whether or not they exist). */
export function meshRemoval(): string {
  return [`table ip ${MESH_TABLE}`, `delete table ip ${MESH_TABLE}`, `table netdev ${MESH_L2_TABLE}`, `delete table netdev ${MESH_L2_TABLE}`, ''].join('\n');
}
