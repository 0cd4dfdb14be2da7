import type { MeshPort, MeshState } from './mesh-state.js';
import { forwardRules, POSTROUTING_CHAIN, type TableRules } from './iptables-rules.js';

/**
 * The IPVS backend as data (Swarm's data path): a published port is a firewall-mark virtual
 * service, its backends real servers in masquerade mode (IPVS rewrites the destination, and
 * the port: the real server's own).
 *
 *   mangle PREROUTING/OUTPUT --dst-type LOCAL ─▶ SHOAL-IPVS-MARK: -p tcp --dport 8080 → mark fwmarkFor()
 *   ipvs  -A -f <mark> -s rr ; -a -f <mark> -r <backend>:<port> -m -w 1
 *   nat POSTROUTING ─▶ SHOAL-POSTROUTING: SNAT IPVS connections of loopback clients (and, in
 *       'snat' mode, every one leaving through the ingress bridge) to the node's ingress address
 *   filter FORWARD ─▶ SHOAL-FORWARD (as the iptables backend)
 *
 * IPVS handles the translated packets at LOCAL_IN, so no nat DNAT rule is needed; the io shell sets
 * net.ipv4.vs.conntrack=1 so that conntrack (and the nat SNAT) sees them.
 */
export const MARK_CHAIN = 'SHOAL-IPVS-MARK';
/** shoal's fwmarks: 0x10000000 | udp 0x10000 | port. Services outside this range are not ours. */
const MARK_BASE = 0x10000000;
const MARK_MASK = 0xfffe0000;

export function fwmarkFor(p: Pick<MeshPort, 'protocol' | 'publishedPort'>): number {
  return MARK_BASE + (p.protocol === 'udp' ? 0x10000 : 0) + p.publishedPort;
}

export const isShoalMark = (mark: number): boolean => (mark & MARK_MASK) >>> 0 === MARK_BASE;

export interface IpvsRules {
  mangle: TableRules;
  nat: TableRules;
  filter: TableRules;
  /** Virtual services by fwmark: their real servers as "ip:port". */
  services: Map<number, string[]>;
}

const markRule = (p: MeshPort): string => `-p ${p.protocol} -m ${p.protocol} --dport ${p.publishedPort} -j MARK --set-xmark 0x${fwmarkFor(p).toString(16)}/0xffffffff`;

export function ipvsRules(state: MeshState | undefined, keys?: readonly string[]): IpvsRules {
  const empty: TableRules = { chains: new Map(), jumps: [] };
  if (!state) return { mangle: empty, nat: empty, filter: { chains: new Map(), jumps: [] }, services: new Map() };
  const ports = keys ? keys.flatMap((k) => state.ports.get(k) ?? []) : [...state.ports.values()];
  const snat = `-m ipvs --vdir ORIGINAL --vmethod MASQ -j SNAT --to-source ${state.nodeAddress}`;
  const post = [`-s 127.0.0.0/8 ${snat}`, ...(state.mode === 'snat' ? [`-o ${state.bridge} ${snat}`] : [])];
  return {
    mangle: {
      chains: new Map([[MARK_CHAIN, ports.map(markRule)]]),
      jumps: [`PREROUTING -m addrtype --dst-type LOCAL -j ${MARK_CHAIN}`, `OUTPUT -m addrtype --dst-type LOCAL -j ${MARK_CHAIN}`],
    },
    nat: { chains: new Map([[POSTROUTING_CHAIN, post]]), jumps: [`POSTROUTING -j ${POSTROUTING_CHAIN}`] },
    filter: forwardRules(),
    services: new Map(ports.map((p) => [fwmarkFor(p), p.backends.map((b) => `${b.ip}:${b.port}`)])),
  };
}

/** shoal's virtual services in `ipvsadm-save -n` output. */
export function parseIpvsSave(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const line of text.split('\n')) {
    const svc = /^-A -f (\d+) /.exec(line);
    if (svc && isShoalMark(Number(svc[1]))) out.set(Number(svc[1]), []);
    const rs = /^-a -f (\d+) -r (\S+) /.exec(line);
    if (rs) out.get(Number(rs[1]))?.push(rs[2]!);
  }
  return out;
}

/** `ipvsadm-restore` input from one set of virtual services to another; '' when nothing changes. */
export function ipvsDelta(from: Map<number, string[]>, to: Map<number, string[]>): string {
  const lines: string[] = [];
  for (const [mark, servers] of to) {
    const had = from.get(mark);
    if (!had) lines.push(`-A -f ${mark} -s rr`);
    const old = new Set(had ?? []);
    const now = new Set(servers);
    for (const s of had ?? []) if (!now.has(s)) lines.push(`-d -f ${mark} -r ${s}`);
    for (const s of servers) if (!old.has(s)) lines.push(`-a -f ${mark} -r ${s} -m -w 1`);
  }
  for (const mark of from.keys()) if (!to.has(mark)) lines.push(`-D -f ${mark}`);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
