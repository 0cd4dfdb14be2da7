import { resourceExhausted } from '@shoal/common';

/**
 * VXLAN network identifiers are 24 bits. Docker's swarm mode hands them out from 4096 up; shoal
 * starts far above that (0x400000), so a host that also runs Docker's own overlays never sees one
 * VNI used twice.
 */
export const VXLAN_ID_BASE = 0x400000;
export const VXLAN_ID_MAX = 0xffffff;

/** The lowest VXLAN ID from the base up that no network has. */
export function pickVxlanId(used: ReadonlySet<number>): number {
  for (let id = VXLAN_ID_BASE; id <= VXLAN_ID_MAX; id++) if (!used.has(id)) return id;
  throw resourceExhausted('no free VXLAN ID: every overlay network identifier is in use');
}
