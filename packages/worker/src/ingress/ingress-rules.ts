import type { IngressPort } from './ingress-table.js';

/**
 * The iptables backend of the routing mesh, as data. `ingressRules` renders one
 * `iptables-restore --noflush` input that replaces all of shoal's rules at once:
 *
 *   nat PREROUTING/OUTPUT --dst-type LOCAL ─▶ SHOAL-INGRESS ─(dport)─▶ SHOAL-SVC-<port>-<proto>
 *       SHOAL-SVC-*: mark 0x4000, then DNAT to one backend (statistic random 1/n, 1/(n-1), ...)
 *   nat POSTROUTING ─▶ SHOAL-POSTROUTING: MASQUERADE marked packets (so loopback clients work)
 *   filter FORWARD  ─▶ SHOAL-FORWARD: ACCEPT marked packets and the rest of DNATed connections
 */
export const INGRESS_CHAIN = 'SHOAL-INGRESS';
export const POSTROUTING_CHAIN = 'SHOAL-POSTROUTING';
export const FORWARD_CHAIN = 'SHOAL-FORWARD';
export const INGRESS_MARK = '0x4000/0x4000';

/** The jumps from built-in chains into ours; checked with `-C` and inserted (at the top) once. */
export const BUILTIN_JUMPS: readonly { table: 'nat' | 'filter'; chain: string; rule: readonly string[] }[] = [
  { table: 'nat', chain: 'PREROUTING', rule: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', INGRESS_CHAIN] },
  { table: 'nat', chain: 'OUTPUT', rule: ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', INGRESS_CHAIN] },
  { table: 'nat', chain: 'POSTROUTING', rule: ['-j', POSTROUTING_CHAIN] },
  { table: 'filter', chain: 'FORWARD', rule: ['-j', FORWARD_CHAIN] },
];

export function serviceChain(port: Pick<IngressPort, 'publishedPort' | 'protocol'>): string {
  return `SHOAL-SVC-${port.publishedPort}-${port.protocol}`;
}

/** The probability that rule i of n picks its backend, so that each of the n is equally likely. */
export function probability(i: number, n: number): string {
  return (1 / (n - i)).toFixed(10);
}

function serviceRules(port: IngressPort): string[] {
  const chain = serviceChain(port);
  const n = port.backends.length;
  const lines = [`-A ${chain} -j MARK --set-xmark ${INGRESS_MARK}`];
  port.backends.forEach((b, i) => {
    const pick = i < n - 1 ? `-m statistic --mode random --probability ${probability(i, n)} ` : '';
    lines.push(`-A ${chain} -p ${port.protocol} ${pick}-j DNAT --to-destination ${b.ip}:${b.port}`);
  });
  return lines;
}

/** Ports with no backend get no rules: their traffic is not ours to answer. */
function served(table: readonly IngressPort[]): IngressPort[] {
  return table.filter((p) => p.backends.length > 0);
}

function natSection(table: readonly IngressPort[], existing: readonly string[]): string[] {
  const ports = served(table);
  const wanted = ports.map(serviceChain);
  const stale = existing.filter((c) => c.startsWith('SHOAL-SVC-') && !wanted.includes(c));
  const chains = [INGRESS_CHAIN, POSTROUTING_CHAIN, ...wanted, ...stale];
  return [
    '*nat',
    ...chains.map((c) => `:${c} - [0:0]`),
    ...chains.map((c) => `-F ${c}`),
    `-A ${POSTROUTING_CHAIN} -m mark --mark ${INGRESS_MARK} -j MASQUERADE`,
    ...ports.map((p) => `-A ${INGRESS_CHAIN} -p ${p.protocol} -m ${p.protocol} --dport ${p.publishedPort} -j ${serviceChain(p)}`),
    ...ports.flatMap(serviceRules),
    ...stale.map((c) => `-X ${c}`),
    'COMMIT',
  ];
}

function filterSection(): string[] {
  return [
    '*filter',
    `:${FORWARD_CHAIN} - [0:0]`,
    `-F ${FORWARD_CHAIN}`,
    `-A ${FORWARD_CHAIN} -m mark --mark ${INGRESS_MARK} -j ACCEPT`,
    `-A ${FORWARD_CHAIN} -m conntrack --ctstate DNAT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    'COMMIT',
  ];
}

/**
 * The `iptables-restore --noflush` input that makes shoal's chains match `table`. `existing` lists
 * the SHOAL-* chains now in the nat table; service chains no longer wanted are deleted.
 */
export function ingressRules(table: readonly IngressPort[], existing: readonly string[] = []): string {
  return [...natSection(table, existing), ...filterSection()].join('\n') + '\n';
}

/** The SHOAL-* chains declared in an `iptables-save` output. */
export function shoalChains(iptablesSave: string): string[] {
  return iptablesSave
    .split('\n')
    .filter((l) => l.startsWith(':SHOAL-'))
    .map((l) => l.slice(1).split(' ')[0]!);
}
