import { BLACKHOLE_PORT, ENCRYPTED_VXLAN_PORT, PEER_PORT_BASE } from './relay-plan.js';

/**
 * The three netfilter rules of encrypted overlays, directly in the built-in chains (not in SHOAL-*
 * chains, which the ingress shell flushes as a whole), each tagged with a comment:
 *
 *   nat OUTPUT    udp dport PEER range, dst not local ─▶ REDIRECT   (kernel VXLAN → the relay)
 *   filter OUTPUT udp dport PEER range, dst not local ─▶ DROP       (no relay rule: nothing leaves)
 *   filter INPUT  udp dport ENCRYPTED_VXLAN_PORT, not from lo ─▶ DROP (no clear VXLAN injected)
 *
 * After REDIRECT the destination is 127.0.0.1, which is local, so the filter rule lets it pass.
 */
export const CRYPT_COMMENT = 'shoal-crypt';

export interface CryptRule {
  table: 'nat' | 'filter';
  chain: 'OUTPUT' | 'INPUT';
  rule: readonly string[];
}

export function cryptRules(): CryptRule[] {
  const range = `${PEER_PORT_BASE}:${BLACKHOLE_PORT}`;
  const comment = ['-m', 'comment', '--comment', CRYPT_COMMENT];
  const toPeers = ['-p', 'udp', '--dport', range, '-m', 'addrtype', '!', '--dst-type', 'LOCAL', ...comment];
  return [
    { table: 'nat', chain: 'OUTPUT', rule: [...toPeers, '-j', 'REDIRECT'] },
    { table: 'filter', chain: 'OUTPUT', rule: [...toPeers, '-j', 'DROP'] },
    { table: 'filter', chain: 'INPUT', rule: ['-p', 'udp', '--dport', String(ENCRYPTED_VXLAN_PORT), '!', '-i', 'lo', ...comment, '-j', 'DROP'] },
  ];
}
