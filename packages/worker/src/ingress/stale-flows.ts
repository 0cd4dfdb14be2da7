import type { DepartedBackend, MeshState } from './mesh-state.js';

/** One line of `conntrack -L`, as far as the mesh needs it. */
interface Flow {
  protocol: 'tcp' | 'udp';
  origDst: string;
  origDport: number;
  replySrc: string;
  replySport: number;
}

function parseFlow(line: string): Flow | undefined {
  const protocol = line.trimStart().split(/\s+/, 1)[0];
  if (protocol !== 'tcp' && protocol !== 'udp') return undefined;
  const field = (name: string) => [...line.matchAll(new RegExp(`\\b${name}=(\\S+)`, 'g'))].map((m) => m[1]!);
  const [dst, sport, dport, src] = [field('dst'), field('sport'), field('dport'), field('src')];
  if (dst.length < 2 || src.length < 2 || sport.length < 2 || dport.length < 1) return undefined;
  return { protocol, origDst: dst[0]!, origDport: Number(dport[0]), replySrc: src[1]!, replySport: Number(sport[1]) };
}

/**
 * After a restart, the backends that connections still go to although their port no longer lists
 * them (they left while shoald was down): translated flows (reply source ≠ original destination)
 * to a published port of `state`, answered by an address:port that port does not have.
 * Deduplicated; at most `limit`.
 */
export function staleMeshFlows(conntrackList: string, state: MeshState | undefined, limit: number): DepartedBackend[] {
  const out = new Map<string, DepartedBackend>();
  if (!state) return [];
  for (const line of conntrackList.split('\n')) {
    const f = parseFlow(line);
    if (!f || f.replySrc === f.origDst) continue;
    const port = state.ports.get(`${f.protocol}/${f.origDport}`);
    if (!port || port.backends.some((b) => b.ip === f.replySrc && b.port === f.replySport)) continue;
    const key = `${f.protocol} ${f.origDport} ${f.replySrc}:${f.replySport}`;
    if (!out.has(key)) out.set(key, { protocol: f.protocol, publishedPort: f.origDport, ip: f.replySrc, port: f.replySport });
    if (out.size >= limit) break;
  }
  return [...out.values()];
}
