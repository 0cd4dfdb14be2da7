import type { IngressEntry, IngressTable } from '@shoal/common';

export const NET = { id: 'ingress0123456789', subnet: '10.0.0.0/24', gateway: '10.0.0.1', nodeAddress: '10.0.0.2' };
export const BRIDGE = 'shb-ingress012';

export function entry(port: number, backends: string[], protocol: 'tcp' | 'udp' = 'tcp', target = 80): IngressEntry {
  return { publishedPort: port, protocol, serviceId: `svc-${port}`, backends: backends.map((ip, i) => ({ ip, port: target, taskId: `t${port}-${i}` })) };
}

export function table(ports: IngressEntry[], network: IngressTable['network'] | null = NET): IngressTable {
  return network ? { network, ports } : { ports };
}

/** `n` services on ports 20000.., each with one backend. */
export function manyPorts(n: number): IngressEntry[] {
  return Array.from({ length: n }, (_, i) => entry(20_000 + i, [`10.0.${1 + (i >> 8)}.${i & 255}`]));
}
