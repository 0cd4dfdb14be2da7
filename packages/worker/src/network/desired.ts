import { ipv4Value, macForAddress, NETWORK_OPT_MTU, type NetworkTable, type NodeNetwork, type TaskNetworkAttachment } from '@shoal/common';
import { isIpv4 } from '../vip/vip-plan.js';
import { bridgeName, hostOf, VXLAN_OVERHEAD_BYTES, VXLAN_PORT, vxlanName } from './names.js';

/** Where VXLAN datagrams for a peer go: its underlay address and UDP port (a local relay for encrypted networks). */
export interface PeerTarget {
  dst: string;
  port: number;
}

/** The fields of a network the data path needs, common to a table entry and a task attachment. */
export type NetworkFacts = Pick<NodeNetwork, 'id' | 'name' | 'allocation' | 'internal' | 'attachable' | 'driverOpts'>;

export interface DataPathOptions {
  /** The node's own underlay address (its advertise address, host part). */
  underlay: string;
  /** MTU of the interface that holds the underlay address. */
  underlayMtu: number;
  /** Where to send a peer's traffic; default `{dst: nodeAddr, port: 4789}` (i10-crypt overrides it). */
  peerUnderlay?: (network: NetworkFacts, nodeAddr: string) => PeerTarget;
  /** The UDP port this node's VXLAN device for the network listens on; default 4789. */
  vxlanPort?: (network: NetworkFacts) => number;
  /** Bytes the underlay path adds to an inner frame; default 50 (VXLAN). An encrypting relay adds its seal. */
  overheadBytes?: (network: NetworkFacts) => number;
}

/** A remote endpoint: a static fdb entry (MAC → peer) and a neighbour entry (address → MAC). */
export interface Peer {
  address: string;
  mac: string;
  dst: string;
  port: number;
}

/** What one overlay network must look like on this node. */
export interface DesiredNetwork {
  id: string;
  name: string;
  subnet: string;
  gateway: string;
  vni: number;
  internal: boolean;
  attachable: boolean;
  /** As the network's spec gives them (hooks decide by them, e.g. `encrypted`). */
  driverOpts: Record<string, string>;
  /**
   * Attachable networks: the part of the subnet Docker's own IPAM hands to plain `docker run
   * --network` containers on this node (the last quarter; the allocator fills from the bottom).
   */
  ipRange?: string;
  mtu: number;
  bridge: string;
  vxlan: string;
  local: string;
  port: number;
  /** Remote endpoints, sorted by address; absent when only a task attachment is known (no table yet). */
  peers?: Peer[];
  /** The routing mesh's network (issue 11): its bridge carries this node's own address and MAC. */
  ingress?: boolean;
  /** Ingress network only: this node's place on it, when the table lists this node in `nodes`. */
  self?: NodeOnBridge;
}

/** This node's identity on the ingress network: its bridge's MAC and a second address besides the gateway. */
export interface NodeOnBridge {
  /** Plain address, e.g. "10.0.0.3". */
  address: string;
  /** The subnet's prefix length, e.g. 24. */
  prefix: number;
  /** `macForAddress(address)`. */
  mac: string;
}

/** Bounds on what a table can make this node program. */
export const MAX_NETWORKS_PER_NODE = 1_000;
export const MAX_PEERS_PER_NETWORK = 16_384;
const MIN_MTU = 68;
const MAX_MTU = 65_535;

/** MTU of the overlay: `com.docker.network.driver.mtu` when given and valid, else the underlay's less the encapsulation. */
export function overlayMtu(driverOpts: Record<string, string>, underlayMtu: number, overheadBytes = VXLAN_OVERHEAD_BYTES): number {
  const raw = driverOpts[NETWORK_OPT_MTU];
  const explicit = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (explicit >= MIN_MTU && explicit <= MAX_MTU) return explicit;
  return Math.max(MIN_MTU, underlayMtu - overheadBytes);
}

/** The network as a task attachment describes it (enough to build it before any table arrives). */
export function factsOfAttachment(a: TaskNetworkAttachment): NetworkFacts {
  return { id: a.networkId, name: a.name, allocation: a.allocation, internal: a.internal, attachable: a.attachable, driverOpts: a.driverOpts };
}


function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** The last quarter of an IPv4 subnet ("10.0.1.0/24" → "10.0.1.192/26"); undefined when too small or not IPv4. */
export function attachableRange(subnet: string): string | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(subnet);
  if (!m) return undefined;
  const prefix = Number(m[2]);
  if (prefix > 28) return undefined;
  const size = 2 ** (32 - prefix);
  const start = ipv4Value(m[1]!) - (ipv4Value(m[1]!) % size) + (size / 4) * 3;
  return `${intToIpv4(start)}/${prefix + 2}`;
}

function base(n: NetworkFacts, o: DataPathOptions): DesiredNetwork {
  const ipRange = n.attachable ? attachableRange(n.allocation.subnet) : undefined;
  return {
    ...(ipRange ? { ipRange } : {}),
    id: n.id,
    name: n.name,
    subnet: n.allocation.subnet,
    gateway: n.allocation.gateway,
    vni: n.allocation.vxlanId,
    internal: n.internal,
    attachable: n.attachable,
    driverOpts: n.driverOpts,
    mtu: overlayMtu(n.driverOpts, o.underlayMtu, o.overheadBytes?.(n)),
    bridge: bridgeName(n.id),
    vxlan: vxlanName(n.id),
    local: o.underlay,
    port: o.vxlanPort?.(n) ?? VXLAN_PORT,
  };
}

/** Remote endpoints of a table network: every endpoint on another node with a known underlay address. */
export function peersOf(n: NodeNetwork, o: DataPathOptions): Peer[] {
  const peers = new Map<string, Peer>();
  // Ingress network: the other nodes' own addresses are remote endpoints too (replies go back through them).
  for (const e of [...n.endpoints, ...(n.ingress ? (n.nodes ?? []) : [])]) {
    const nodeAddr = hostOf(e.nodeAddr);
    if (nodeAddr === '' || nodeAddr === o.underlay || peers.has(e.address) || !isIpv4(e.address)) continue;
    const target = o.peerUnderlay?.(n, nodeAddr) ?? { dst: nodeAddr, port: VXLAN_PORT };
    peers.set(e.address, { address: e.address, mac: macForAddress(e.address), dst: target.dst, port: target.port });
  }
  return [...peers.values()].sort((a, b) => a.address.localeCompare(b.address)).slice(0, MAX_PEERS_PER_NETWORK);
}

/** Ingress network: this node's entry in `nodes` (found by its underlay address), as its bridge must carry it. */
export function selfOnIngress(n: NodeNetwork, o: DataPathOptions): NodeOnBridge | undefined {
  if (!n.ingress) return undefined;
  const me = (n.nodes ?? []).find((m) => hostOf(m.nodeAddr) === o.underlay);
  const prefix = Number(n.allocation.subnet.split('/')[1]);
  if (!me || !isIpv4(me.address) || !Number.isInteger(prefix) || prefix < 1 || prefix > 32) return undefined;
  return { address: me.address, prefix, mac: macForAddress(me.address) };
}

/** The ingress fields of a table network's desired state (none for other networks). */
function ingressPart(n: NodeNetwork, o: DataPathOptions): Pick<DesiredNetwork, 'ingress' | 'self'> {
  if (!n.ingress) return {};
  const self = selfOnIngress(n, o);
  return self ? { ingress: true, self } : { ingress: true };
}

/**
 * The networks this node must have: every network of the table (with its remote endpoints), plus
 * networks of local tasks being prepared that the table does not list yet (without peers: their
 * entries are left as they are until a table says otherwise).
 */
export function desiredNetworks(table: NetworkTable | undefined, pinned: readonly TaskNetworkAttachment[], o: DataPathOptions): DesiredNetwork[] {
  const out = new Map<string, DesiredNetwork>();
  for (const n of table?.networks ?? []) {
    if (out.size >= MAX_NETWORKS_PER_NODE) break;
    out.set(n.id, { ...base(n, o), peers: peersOf(n, o), ...ingressPart(n, o) });
  }
  for (const a of pinned) {
    if (!out.has(a.networkId)) out.set(a.networkId, base(factsOfAttachment(a), o));
  }
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id));
}
