import { runInNetns } from '../../vip/io/netns-exec.js';
import { namespaceRemovalLines, observeNamespace, planNamespace, type MeshTarget, type NamespaceWrite } from '../namespace-plan.js';
import { MESH_ROUTE_TABLE, meshRemoval } from '../reply-rules.js';

const SEP = '@@shoal@@';
/** One shell reads all the planner compares: addresses, rules, the reply route, rp_filter values. */
const READ = [
  '-c',
  `ip -j -4 addr show; echo ${SEP}; ip -j rule show; echo ${SEP}; r=$(ip -j route show table ${MESH_ROUTE_TABLE} 2>/dev/null) || r='[]'; echo "$r"; echo ${SEP}; grep -r . /proc/sys/net/ipv4/conf/*/rp_filter 2>/dev/null; exit 0`,
];
/**
 * One shell writes: `ip -batch` lines ($1), a loose rp_filter on one interface ($2), then the nft
 * text from stdin. Values are arguments, never script text (they are checked by the planner too).
 */
const WRITE = ['-c', 'set -e; if [ -n "$1" ]; then printf \'%s\\n\' "$1" | ip -batch -; fi; if [ -n "$2" ]; then echo 2 > "/proc/sys/net/ipv4/conf/$2/rp_filter"; fi; exec nft -f -', 'sh'];
const REMOVE = ['-c', 'printf \'%s\\n\' "$1" | ip -force -batch - >/dev/null 2>&1; exec nft -f -', 'sh'];

const parse = (text: string | undefined): unknown => {
  const t = (text ?? '').trim();
  return t === '' ? [] : JSON.parse(t);
};

/** Reads the namespace and plans what it needs for the target. */
export async function planInNamespace(nsPath: string, t: MeshTarget): Promise<NamespaceWrite> {
  const out = await runInNetns(nsPath, 'sh', READ);
  const [addrs, rules, routes, rp] = out.split(SEP);
  return planNamespace(t, observeNamespace(t, parse(addrs), parse(rules), parse(routes), rp ?? ''));
}

/** Writes a plan into the namespace (rule, route, rp_filter, then both nft tables in one transaction). */
export async function writeNamespace(nsPath: string, w: NamespaceWrite): Promise<void> {
  await runInNetns(nsPath, 'sh', [...WRITE, w.ipLines.join('\n'), w.rpFilterDev ?? ''], w.nft);
}

/** Read, plan, write: the whole reply path of one namespace; resolves with the interface programmed. */
export async function programNamespace(nsPath: string, t: MeshTarget): Promise<string> {
  const w = await planInNamespace(nsPath, t);
  await writeNamespace(nsPath, w);
  return w.ifname;
}

/** Takes the reply path out of a namespace (tables, rule, route); what is missing already is fine. */
export async function clearNamespace(nsPath: string): Promise<void> {
  await runInNetns(nsPath, 'sh', [...REMOVE, namespaceRemovalLines().join('\n')], meshRemoval());
}
