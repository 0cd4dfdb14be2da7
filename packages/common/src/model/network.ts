import type { Annotations, Meta } from './objects.js';

/**
 * Overlay networks (issue 10): what the manager stores, what it allocates, and the per-node table
 * it pushes to workers. These types are the contract between the allocator (manager), the
 * dispatcher, the worker's data path and its DNS server; change them only with all four in view.
 */

/** Docker's `driver_opts` keys that shoal reads. */
export const NETWORK_OPT_ENCRYPTED = 'encrypted';
export const NETWORK_OPT_MTU = 'com.docker.network.driver.mtu';

/** Docker's rule (libnetwork overlay): the option's presence turns encryption on, whatever its value. */
export function isEncryptedOpts(driverOpts: Record<string, string>): boolean {
  return Object.prototype.hasOwnProperty.call(driverOpts, NETWORK_OPT_ENCRYPTED);
}

/** A user's address plan for a network (compose `ipam.config[0]`, `network create --subnet`). */
export interface IpamConfig {
  /** CIDR, e.g. "10.20.0.0/24". Absent: the allocator cuts one from the cluster's pool. */
  subnet?: string;
  /** Absent: the first address of the subnet. */
  gateway?: string;
}

export interface NetworkSpec {
  /** name is the full name (`STACK_NET` for stack networks); labels are the network's labels. */
  annotations: Annotations;
  /** Only "overlay" is stored; Docker's local `bridge`, `host`, `none` are not shoal objects. */
  driver: 'overlay';
  /** Plain `docker run --network NAME` containers may join it (on any node). */
  attachable: boolean;
  /** No way out of the network: no default route, no NAT to the outside. */
  internal: boolean;
  /** The routing mesh's network (issue 11); at most one. */
  ingress: boolean;
  /** `driver_opts` as given (e.g. `encrypted`, `com.docker.network.driver.mtu`). */
  driverOpts: Record<string, string>;
  /** At most one entry. */
  ipam: IpamConfig[];
}

/** What the allocator decided for a network; set once, when the network is created. */
export interface NetworkAllocation {
  /** CIDR, e.g. "10.0.1.0/24". */
  subnet: string;
  /** Plain address (no prefix), e.g. "10.0.1.1": the same on every node. */
  gateway: string;
  /** The VXLAN network identifier (24 bits). */
  vxlanId: number;
}

export interface Network {
  id: string;
  meta: Meta;
  spec: NetworkSpec;
  /** Absent only while a create is being applied; every stored network has one. */
  allocation?: NetworkAllocation;
  /**
   * Encrypted networks only (`driverOpts.encrypted`): the keys the leader generated and rotates
   * (`@shoal/manager` network-keys), oldest first. Kept here, not in `allocation`, because the
   * allocation is copied into every task. Secret: never logged, never shown by `network inspect`.
   */
  keys?: NetworkKey[];
}

/**
 * One key of an encrypted network. Workers accept traffic sealed under any key they hold and
 * seal under the newest one whose `sendFrom` has passed, so a new key reaches every node before
 * anyone sends with it, and the previous one stays valid for an overlap.
 */
export interface NetworkKey {
  /** Increases by one per rotation; carried in every sealed datagram. */
  id: number;
  /** 32 random bytes, base64. */
  keyB64: string;
  /** Milliseconds since the epoch (the leader's clock). */
  createdAt: number;
  /** Senders switch to this key from this time on. */
  sendFrom: number;
  /** The leader removes the key after this time. */
  notAfter: number;
}

/**
 * A task's place on one network, as the allocator wrote it into the task. It carries what a
 * worker needs to build the network locally (as swarmkit embeds the network in the attachment),
 * so a task can start without waiting for any other message.
 */
export interface TaskNetworkAttachment {
  networkId: string;
  /** The network's name: the Docker network's name on the node. */
  name: string;
  /** The task's address with the subnet's prefix length, e.g. "10.0.1.7/24". */
  address: string;
  /** DNS aliases on this network (the attachment's aliases from the spec). */
  aliases: string[];
  allocation: NetworkAllocation;
  internal: boolean;
  attachable: boolean;
  driverOpts: Record<string, string>;
}

/** A service's virtual IP on one network (Docker's `Endpoint.VirtualIPs`). */
export interface VirtualIp {
  networkId: string;
  /** With the prefix length, e.g. "10.0.1.2/24". */
  address: string;
}

export type EndpointMode = 'vip' | 'dnsrr';

/** Health as the worker saw it (Docker's healthcheck); absent when the task has no healthcheck. */
export type TaskHealth = 'starting' | 'healthy' | 'unhealthy';

/**
 * The table the dispatcher pushes to each node: every network that node needs (it runs a task
 * on it, or the network is attachable), with every endpoint and service on it cluster-wide.
 * The worker derives its VXLAN forwarding/neighbour entries, its VIP rules and its DNS answers
 * from this table alone.
 */
export interface NetworkTable {
  networks: NodeNetwork[];
}

export interface NodeNetwork {
  id: string;
  name: string;
  allocation: NetworkAllocation;
  internal: boolean;
  attachable: boolean;
  driverOpts: Record<string, string>;
  services: NetworkService[];
  endpoints: NetworkEndpoint[];
  /** Encrypted networks only: the network's current keys (`Network.keys`), as the leader keeps them. */
  keys?: NetworkKey[];
  /** The routing mesh's network (issue 11): every node needs it, and `nodes` lists them. */
  ingress?: boolean;
  /** Ingress network only: every node with an address on it (this node included), sorted by address. */
  nodes?: NetworkNodeEndpoint[];
}

/**
 * A node's own address on the ingress network. Its bridge on that network carries the address
 * and the MAC `macForAddress(address)`, so a task can tell which node handed it a connection (by
 * the frame's source MAC) and send the reply back through that node.
 */
export interface NetworkNodeEndpoint {
  nodeId: string;
  /** Plain address, e.g. "10.0.0.3". */
  address: string;
  /** The node's underlay address (its advertise address): the VXLAN peer. */
  nodeAddr: string;
}

/** A node's place on the ingress network, as the allocator wrote it into the Node. */
export interface NodeIngressAttachment {
  networkId: string;
  /** With the prefix length, e.g. "10.0.0.3/24". */
  address: string;
}

export interface NetworkService {
  id: string;
  /** Full name, e.g. "vote_redis". */
  name: string;
  /** Other names that resolve to it on this network: the short name in a stack, spec aliases. */
  aliases: string[];
  endpointMode: EndpointMode;
  /** Plain address of the VIP on this network (endpoint mode vip), e.g. "10.0.1.2". */
  vip?: string;
}

export interface NetworkEndpoint {
  taskId: string;
  serviceId: string;
  /** Plain address, e.g. "10.0.1.7". Its MAC is `macForAddress(address)`. */
  address: string;
  nodeId: string;
  /** The underlay address of the task's node (the node's advertise address): the VXLAN peer. */
  nodeAddr: string;
  /**
   * RUNNING, meant to run, and healthy where the task has a healthcheck: the only endpoints that
   * answer DNS and take VIP traffic. Endpoints that do not serve stay reachable by address.
   */
  serving: boolean;
}

/**
 * The MAC of an overlay address, as Docker derives one for bridge networks (02:42 and the four
 * bytes of the address), so a neighbour entry follows from the address alone.
 */
export function macForAddress(address: string): string {
  const bytes = address.split('.').map((b) => Number(b).toString(16).padStart(2, '0'));
  return ['02', '42', ...bytes].join(':');
}

/** A dotted IPv4 address as an unsigned 32-bit number ("10.0.0.3" → 0x0a000003), for order and arithmetic. */
export function ipv4Value(address: string): number {
  return address.split('.').reduce((acc, b) => acc * 256 + Number(b), 0);
}

/** The plain address of "10.0.1.7/24". */
export function addressOf(cidr: string): string {
  const slash = cidr.indexOf('/');
  return slash < 0 ? cidr : cidr.slice(0, slash);
}
