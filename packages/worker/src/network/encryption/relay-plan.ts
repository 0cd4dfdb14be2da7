import { isEncryptedOpts, type NetworkTable, type NodeNetwork, type TaskNetworkAttachment } from '@shoal/common';
import type { EncryptedNetworkKeys } from './crypto-channel.js';
import { SEAL_OVERHEAD_BYTES } from './wire-format.js';

/**
 * Where the pieces of an encrypted overlay meet on a node (README.md draws it):
 * - the kernel VXLAN device of an encrypted network listens on ENCRYPTED_VXLAN_PORT, which a
 *   netfilter rule makes reachable from loopback only (the relay delivers opened datagrams there);
 * - its fdb entry for a remote node N points at `N:portFor(N)`, a port in the peer range; a nat
 *   OUTPUT rule redirects that range to the relay's loopback socket for N, and a filter OUTPUT
 *   rule drops the range towards any non-local address, so without the relay nothing leaves;
 * - the relay seals and sends to N's relay on RELAY_PORT over the underlay.
 */
export const DEFAULT_VXLAN_PORT = 4789;
export const ENCRYPTED_VXLAN_PORT = 47_899;
export const PEER_PORT_BASE = 47_900;
/** Peers one node can talk to on encrypted networks; the last port of the range is never bound. */
export const MAX_PEERS = 511;
/** The port fdb entries get for a peer the relay has no socket for: redirected, and dropped there. */
export const BLACKHOLE_PORT = PEER_PORT_BASE + MAX_PEERS;
export const RELAY_PORT = 4800;
/** VXLAN (outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14). */
export const VXLAN_OVERHEAD_BYTES = 50;
export const KEY_BYTES = 32;

export interface UnderlayPeer {
  dst: string;
  port: number;
}

/** What the relay needs to run, derived from the table alone. */
export interface RelayPlan {
  networks: EncryptedNetworkKeys[];
  /** The VXLAN devices of the encrypted networks (their offload is checked by the watchdog). */
  devices: string[];
  /** Loopback port per peer underlay address (kept from the previous plan where possible). */
  ports: Map<string, number>;
  /** Peers beyond MAX_PEERS: their fdb entries point at BLACKHOLE_PORT (nothing is sent clear). */
  overflow: string[];
  /** Keys that were not 32 bytes of base64 (network name, key id): skipped. Never the key itself. */
  badKeys: string[];
}

export function isEncryptedNetwork(n: Pick<NodeNetwork, 'driverOpts'>): boolean {
  return isEncryptedOpts(n.driverOpts);
}

export function planRelay(table: NetworkTable, selfAddr: string, prevPorts: ReadonlyMap<string, number>): RelayPlan {
  const networks: EncryptedNetworkKeys[] = [];
  const devices: string[] = [];
  const badKeys: string[] = [];
  const allPeers = new Set<string>();
  for (const n of table.networks) {
    if (!isEncryptedNetwork(n)) continue;
    const peers = new Set(n.endpoints.map((e) => e.nodeAddr).filter((a) => a !== selfAddr && a !== ''));
    for (const p of peers) allPeers.add(p);
    const keys: EncryptedNetworkKeys['keys'] = [];
    for (const k of n.keys ?? []) {
      const key = decodeKey(k.keyB64);
      if (key) keys.push({ id: k.id, key, sendFrom: k.sendFrom });
      else badKeys.push(`${n.name}#${k.id}`);
    }
    networks.push({ vni: n.allocation.vxlanId, keys, peers });
    devices.push(vxlanDeviceOf(n.id));
  }
  const { ports, overflow } = assignPeerPorts(prevPorts, [...allPeers].sort());
  return { networks, devices, ports, overflow, badKeys };
}

/** Keeps the ports peers already have; gives new peers the lowest free ones. */
export function assignPeerPorts(prev: ReadonlyMap<string, number>, peers: readonly string[]): { ports: Map<string, number>; overflow: string[] } {
  const ports = new Map<string, number>();
  const used = new Set<number>();
  for (const p of peers) {
    const port = prev.get(p);
    if (port !== undefined && port >= PEER_PORT_BASE && port < BLACKHOLE_PORT) {
      ports.set(p, port);
      used.add(port);
    }
  }
  const overflow: string[] = [];
  let next = PEER_PORT_BASE;
  for (const p of peers) {
    if (ports.has(p)) continue;
    while (used.has(next)) next++;
    if (next >= BLACKHOLE_PORT) {
      overflow.push(p);
      continue;
    }
    ports.set(p, next);
    used.add(next);
  }
  return { ports, overflow };
}

/**
 * The hooks the data path's planner takes for a network. For an encrypted network: fdb entries
 * point at the relay's port for the peer (BLACKHOLE_PORT when it has none), the VXLAN device
 * listens on ENCRYPTED_VXLAN_PORT, and the MTU leaves room for the seal.
 */
export interface OverlayHooks {
  peerUnderlay(network: Pick<NodeNetwork, 'driverOpts'>, nodeAddr: string): UnderlayPeer;
  vxlanPort(network: Pick<NodeNetwork, 'driverOpts'>): number;
  overheadBytes(network: Pick<NodeNetwork, 'driverOpts'>): number;
  /**
   * Commands to run right after creating the network's VXLAN device `dev`. Encrypted: checksum
   * offload off, so the datagrams the relay reads carry finished inner checksums (with offload on,
   * the inner TCP checksum is left for a NIC that never sees the packet, and REDIRECT spoils the
   * outer one: the kernel drops it as UdpInCsumErrors).
   */
  deviceSetup(network: Pick<NodeNetwork, 'driverOpts'>, dev: string): string[][];
}

/** The VXLAN device of a network, as the data path names it. */
export function vxlanDeviceOf(networkId: string): string {
  return `shv-${networkId.slice(0, 10)}`;
}

export function overlayHooks(ports: ReadonlyMap<string, number>): OverlayHooks {
  return {
    peerUnderlay: (network, nodeAddr) =>
      isEncryptedNetwork(network) ? { dst: nodeAddr, port: ports.get(nodeAddr) ?? BLACKHOLE_PORT } : { dst: nodeAddr, port: DEFAULT_VXLAN_PORT },
    vxlanPort: (network) => (isEncryptedNetwork(network) ? ENCRYPTED_VXLAN_PORT : DEFAULT_VXLAN_PORT),
    overheadBytes: (network) => VXLAN_OVERHEAD_BYTES + (isEncryptedNetwork(network) ? SEAL_OVERHEAD_BYTES : 0),
    deviceSetup: (network, dev) => (isEncryptedNetwork(network) ? [['ethtool', '-K', dev, 'tx', 'off']] : []),
  };
}

/**
 * The error a task gets when one of its networks is encrypted and this node cannot encrypt
 * (`cannotEncrypt` is the reason, or null when it can): the task is rejected, never run in clear.
 */
export function encryptionRefusal(networks: readonly Pick<TaskNetworkAttachment, 'name' | 'driverOpts'>[], cannotEncrypt: string | null): string | null {
  if (cannotEncrypt === null) return null;
  const encrypted = networks.find((n) => isEncryptedOpts(n.driverOpts));
  if (!encrypted) return null;
  return `network ${encrypted.name} is encrypted and this node cannot encrypt: ${cannotEncrypt}`;
}

function decodeKey(b64: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(b64)) return null;
  const bin = atob(b64);
  const key = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) key[i] = bin.charCodeAt(i);
  return key.length === KEY_BYTES ? key : null;
}
