import type { IngressBackendName } from '@shoal/common';

/** `shoald --ingress-backend`. */
export type IngressBackendFlag = 'auto' | IngressBackendName;

export const INGRESS_BACKEND_FLAGS: readonly IngressBackendFlag[] = ['auto', 'ipvs', 'nftables', 'iptables'];

/** What a probe found: usable, or why not in a few words ("Protocol not available"). */
export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** The backends to probe, in order: auto prefers IPVS (Swarm's path), then nftables, then iptables. */
export function probeOrder(flag: IngressBackendFlag): IngressBackendName[] {
  return flag === 'auto' ? ['ipvs', 'nftables', 'iptables'] : [flag];
}

export type BackendChoice = { backend: IngressBackendName; message: string } | { error: string };

/**
 * The backend to use from what the probes found (in probeOrder), with the message `node inspect`
 * shows: empty when the first choice works, else why each better one was passed over
 * ("ipvs unavailable (Protocol not available), using nftables"). An explicit choice that does not
 * work is an error line for shoald's start; auto with none working keeps iptables in name (its
 * writes will fail and be logged) and says so, so that a node without the tools still runs tasks.
 */
export function chooseBackend(flag: IngressBackendFlag, probed: readonly [IngressBackendName, ProbeResult][]): BackendChoice {
  const passed: string[] = [];
  for (const [name, r] of probed) {
    if (r.ok) return { backend: name, message: passed.length ? `${passed.join('; ')}, using ${name}` : '' };
    passed.push(`${name} unavailable (${r.reason})`);
  }
  if (flag !== 'auto') return { error: `--ingress-backend ${flag}: ${passed[0] ?? 'not probed'}` };
  return { backend: 'iptables', message: `${passed.join('; ')}: published ports will not answer on this node` };
}

export function parseBackendFlag(value: string): IngressBackendFlag | undefined {
  return (INGRESS_BACKEND_FLAGS as readonly string[]).includes(value) ? (value as IngressBackendFlag) : undefined;
}
