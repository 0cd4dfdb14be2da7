import { BRIDGE_PREFIX, LABEL_LEGACY, LABEL_NETWORK_ID, OPT_BRIDGE_NAME, OPT_MTU, VXLAN_PREFIX } from './names.js';

/**
 * What the node has now, as read from Docker and the kernel (`ip -j`, `bridge -j`): the planner's
 * other input. Parsers here are pure: they take the JSON the tools print.
 */
export interface ObservedDockerNetwork {
  dockerId: string;
  name: string;
  /** The shoal network id from the label; '' for a Docker network shoal did not create. */
  networkId: string;
  /** A node-local network of an older shoal (label `io.shoal.managed`, before overlays): replaceable once unused. */
  legacy: boolean;
  subnet: string;
  gateway: string;
  /** IPAM's IPRange ('' when none). */
  ipRange: string;
  bridge: string;
  mtu: number | undefined;
  internal: boolean;
  /** Containers in any state that name this network in their settings (a stopped one still needs it to start). */
  containers: number;
}

export interface ObservedVxlan {
  name: string;
  vni: number;
  local: string;
  port: number;
  learning: boolean;
  proxy: boolean;
  master: string | undefined;
  /** Whether the bridge learns source MACs on this port (it must not: remote MACs are static there). */
  portLearning: boolean;
  mtu: number;
  up: boolean;
}

export interface ObservedFdb {
  dev: string;
  mac: string;
  dst: string;
  /** Absent: the device's own port. */
  port: number | undefined;
}

/** A static entry of the bridge pointing a remote MAC at the VXLAN port (`bridge fdb ... master static`). */
export interface ObservedPortEntry {
  dev: string;
  mac: string;
}

export interface ObservedNeigh {
  dev: string;
  address: string;
  mac: string;
}

/** A `shb-` bridge's own MAC and IPv4 addresses (the ingress network's bridge carries the node's). */
export interface ObservedBridge {
  name: string;
  mac: string;
  /** "10.0.0.3/24", as `ip -j -4 addr show` lists them. */
  addresses: string[];
}

export interface ObservedState {
  dockerNetworks: ObservedDockerNetwork[];
  vxlans: ObservedVxlan[];
  /** Names of links called `shb-*` (Docker creates them; one without its Docker network is stray). */
  bridges: string[];
  fdb: ObservedFdb[];
  /** The bridges' static entries on shoal's VXLAN ports. */
  portEntries: ObservedPortEntry[];
  neigh: ObservedNeigh[];
  /** The `shb-` bridges' MACs and addresses; absent when not read (the planner then rewrites the ingress bridge's). */
  bridgeAddrs?: ObservedBridge[];
}

type Json = Record<string, unknown>;
const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `ip -j -d link show`: shoal's VXLAN devices and `shb-` bridges. */
export function parseLinks(json: unknown): Pick<ObservedState, 'vxlans' | 'bridges'> {
  const vxlans: ObservedVxlan[] = [];
  const bridges: string[] = [];
  for (const l of asArray(json)) {
    const name = str(l.ifname);
    if (name.startsWith(BRIDGE_PREFIX)) bridges.push(name);
    if (!name.startsWith(VXLAN_PREFIX)) continue;
    const info = (l.linkinfo as Json | undefined) ?? {};
    const data = (info.info_data as Json | undefined) ?? {};
    const flags = Array.isArray(l.flags) ? (l.flags as string[]) : [];
    const slave = (info.info_slave_data as Json | undefined) ?? {};
    vxlans.push({
      name,
      vni: Number(data.id ?? -1),
      local: str(data.local),
      port: Number(data.port ?? 0),
      learning: data.learning === true,
      proxy: data.proxy === true,
      master: typeof l.master === 'string' ? l.master : undefined,
      portLearning: slave.learning !== false,
      mtu: Number(l.mtu ?? 0),
      up: flags.includes('UP'),
    });
  }
  return { vxlans, bridges };
}

/** `bridge -j fdb show`: the static entries with a destination on shoal's VXLAN devices. */
export function parseFdb(json: unknown): ObservedFdb[] {
  return asArray(json)
    .filter((e) => str(e.ifname).startsWith(VXLAN_PREFIX) && str(e.dst) !== '')
    .map((e) => ({ dev: str(e.ifname), mac: str(e.mac).toLowerCase(), dst: str(e.dst), port: typeof e.port === 'number' ? e.port : undefined }));
}

/** `bridge -j fdb show`: the static bridge entries on shoal's VXLAN ports (not the port's own, permanent, address). */
export function parsePortEntries(json: unknown): ObservedPortEntry[] {
  return asArray(json)
    .filter((e) => str(e.ifname).startsWith(VXLAN_PREFIX) && str(e.master) !== '' && str(e.dst) === '' && str(e.state) === 'static')
    .map((e) => ({ dev: str(e.ifname), mac: str(e.mac).toLowerCase() }));
}

/** `ip -j neigh show`: entries on shoal's VXLAN devices. */
export function parseNeigh(json: unknown): ObservedNeigh[] {
  return asArray(json)
    .filter((e) => str(e.dev).startsWith(VXLAN_PREFIX) && str(e.dst) !== '')
    .map((e) => ({ dev: str(e.dev), address: str(e.dst), mac: str(e.lladdr).toLowerCase() }));
}

/** `ip -j -d link show` and `ip -j -4 addr show`: each `shb-` bridge's MAC and IPv4 addresses. */
export function parseBridgeAddrs(links: unknown, addrs: unknown): ObservedBridge[] {
  const byName = new Map<string, string[]>();
  for (const l of asArray(addrs)) byName.set(str(l.ifname), asArray(l.addr_info).map((a) => `${str(a.local)}/${Number(a.prefixlen)}`));
  return asArray(links)
    .filter((l) => str(l.ifname).startsWith(BRIDGE_PREFIX))
    .map((l) => ({ name: str(l.ifname), mac: str(l.address).toLowerCase(), addresses: byName.get(str(l.ifname)) ?? [] }));
}

/** The MTU of the interface holding `address`, from `ip -j -4 addr show`; undefined when none does. */
export function mtuOfAddress(json: unknown, address: string): number | undefined {
  for (const l of asArray(json)) {
    if (asArray(l.addr_info).some((a) => str(a.local) === address)) return Number(l.mtu);
  }
  return undefined;
}

/** The subset of Docker's network inspect shoal reads. */
export interface DockerNetworkInfo {
  Id: string;
  Name: string;
  Internal?: boolean;
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] | null } | null;
}

/** A Docker network as the planner sees it; `containers` counts the containers that name it. */
export function observedDockerNetwork(n: DockerNetworkInfo, containers: number): ObservedDockerNetwork {
  const ipam = n.IPAM?.Config?.[0] ?? {};
  const mtu = n.Options?.[OPT_MTU];
  return {
    dockerId: n.Id,
    name: n.Name,
    networkId: n.Labels?.[LABEL_NETWORK_ID] ?? '',
    legacy: n.Labels?.[LABEL_LEGACY] === 'true',
    subnet: ipam.Subnet ?? '',
    gateway: ipam.Gateway ?? '',
    ipRange: ipam.IPRange ?? '',
    bridge: n.Options?.[OPT_BRIDGE_NAME] ?? '',
    mtu: mtu === undefined ? undefined : Number(mtu),
    internal: n.Internal === true,
    containers,
  };
}
