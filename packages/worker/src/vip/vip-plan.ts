import { ipv4Value, type NetworkTable, type NodeNetwork } from '@shoal/common';

/** One service VIP as a caller sees it: where connections to it go. */
export interface VipTarget {
  /** Plain address, e.g. "10.0.1.2". */
  vip: string;
  /** Plain addresses of the serving endpoints, sorted; empty: calls are refused at once. */
  backends: string[];
}

/** What one local task's namespace needs: the VIPs of every network it is attached to. */
export interface TaskVips {
  /** Sorted network IDs: tasks with the same key get the same rules. */
  key: string;
  vips: VipTarget[];
}

/** The VIPs of one network's services, each with its serving endpoints on that network. */
export function networkVips(net: NodeNetwork): VipTarget[] {
  const backends = new Map<string, string[]>();
  for (const ep of net.endpoints) {
    if (!ep.serving || !isIpv4(ep.address)) continue;
    const list = backends.get(ep.serviceId);
    if (list) list.push(ep.address);
    else backends.set(ep.serviceId, [ep.address]);
  }
  const vips: VipTarget[] = [];
  for (const svc of net.services) {
    if (svc.endpointMode !== 'vip' || !svc.vip || !isIpv4(svc.vip)) continue;
    vips.push({ vip: svc.vip, backends: [...new Set(backends.get(svc.id) ?? [])].sort(compareAddr) });
  }
  return vips;
}

/**
 * For every task in `taskIds` (this node's containers), the VIPs it can call: those of the
 * services on each network the task has an address on (an endpoint of it in the table). A task
 * that is on no network of the table gets an empty list (its rules are removed). Linear in the
 * table's size; a network's VIPs are computed once however many local tasks share it.
 */
export function vipsByTask(table: NetworkTable, taskIds: Iterable<string>): Map<string, TaskVips> {
  const wanted = new Set(taskIds);
  const networksOf = new Map<string, NodeNetwork[]>();
  for (const net of table.networks) {
    for (const ep of net.endpoints) {
      if (!wanted.has(ep.taskId)) continue;
      const list = networksOf.get(ep.taskId);
      if (list) list.push(net);
      else networksOf.set(ep.taskId, [net]);
    }
  }
  const perNetwork = new Map<string, VipTarget[]>();
  const vipsOfNetwork = (net: NodeNetwork): VipTarget[] => {
    let v = perNetwork.get(net.id);
    if (!v) perNetwork.set(net.id, (v = networkVips(net)));
    return v;
  };
  const out = new Map<string, TaskVips>();
  for (const taskId of wanted) {
    const nets = [...new Set(networksOf.get(taskId) ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    out.set(taskId, { key: nets.map((n) => n.id).join(','), vips: uniqueByVip(nets.flatMap(vipsOfNetwork)) });
  }
  return out;
}

/** Two services cannot share a VIP; should a table say so anyway, the first one keeps it. */
function uniqueByVip(vips: VipTarget[]): VipTarget[] {
  const seen = new Set<string>();
  const out: VipTarget[] = [];
  for (const v of vips) {
    if (seen.has(v.vip)) continue;
    seen.add(v.vip);
    out.push(v);
  }
  return out.sort((a, b) => compareAddr(a.vip, b.vip));
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A plain dotted IPv4 address: the only text from the table that goes into a rule. */
export function isIpv4(a: string): boolean {
  return IPV4.test(a);
}

/** Numeric order of dotted IPv4 addresses. */
export function compareAddr(a: string, b: string): number {
  return ipv4Value(a) - ipv4Value(b);
}

/**
 * The (VIP, backend) pairs that `before` sent traffic to and `after` does not (a backend that
 * stopped serving, a VIP that went): the connections tracked to those must be dropped.
 */
export function removedPairs(before: readonly VipTarget[], after: readonly VipTarget[]): { vip: string; backend: string }[] {
  const now = new Map(after.map((v) => [v.vip, new Set(v.backends)]));
  return before.flatMap((v) => v.backends.filter((b) => !now.get(v.vip)?.has(b)).map((backend) => ({ vip: v.vip, backend })));
}
