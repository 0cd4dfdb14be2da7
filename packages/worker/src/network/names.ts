/**
 * How shoal names what it puts on a node for an overlay network, so that a restarted shoald (or
 * `swarm leave`) recognises its own devices and Docker networks without any state of its own.
 */

/** Label on the Docker (bridge) network that stands for a shoal overlay network on this node. */
export const LABEL_NETWORK_ID = 'io.shoal.network.id';
/** Label of the node-local bridge networks older shoal versions created per stack network. */
export const LABEL_LEGACY = 'io.shoal.managed';
/** Docker's bridge driver options shoal sets. */
export const OPT_BRIDGE_NAME = 'com.docker.network.bridge.name';
export { NETWORK_OPT_MTU as OPT_MTU } from '@shoal/common';

/** IANA's VXLAN port (Linux's default is 8472; Docker's overlay uses 4789 too). */
export const VXLAN_PORT = 4789;
/** Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 bytes. */
export const VXLAN_OVERHEAD_BYTES = 50;
export const BRIDGE_PREFIX = 'shb-';
export const VXLAN_PREFIX = 'shv-';
/** Interface names are at most 15 bytes: the prefix and 10 characters of the network id. */
const ID_CHARS = 10;

export function bridgeName(networkId: string): string {
  return BRIDGE_PREFIX + networkId.slice(0, ID_CHARS);
}

export function vxlanName(networkId: string): string {
  return VXLAN_PREFIX + networkId.slice(0, ID_CHARS);
}

export function isShoalLink(name: string): boolean {
  return name.startsWith(BRIDGE_PREFIX) || name.startsWith(VXLAN_PREFIX);
}

/** The host part of "10.99.0.11:4242", "10.99.0.11" or "[fd00::1]:4242". */
export function hostOf(addr: string): string {
  if (addr.startsWith('[')) return addr.slice(1, addr.indexOf(']'));
  const colon = addr.lastIndexOf(':');
  return colon > 0 && addr.indexOf(':') === colon ? addr.slice(0, colon) : addr;
}
