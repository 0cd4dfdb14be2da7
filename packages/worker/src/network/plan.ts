import { sortActions, type NetworkAction } from './actions.js';
import type { DesiredNetwork, Peer } from './desired.js';
import type { ObservedDockerNetwork, ObservedFdb, ObservedState, ObservedVxlan } from './observed.js';

export interface NetworkPlan {
  actions: NetworkAction[];
  /** Things the planner will not fix by itself, one line each (logged). */
  notes: string[];
}

export interface PlanOptions {
  /**
   * Remove what shoal made that is not desired (networks no container names any more, stray
   * devices). False until the first table arrives: without it the planner knows only the
   * networks of tasks being prepared, not what the node's other containers need.
   */
  removeStale: boolean;
}

/** Why a Docker network does not match what the network needs; '' when it does. */
export function dockerMismatch(d: DesiredNetwork, o: ObservedDockerNetwork): string {
  const diffs: string[] = [];
  if (o.name !== d.name) diffs.push(`name ${o.name} (want ${d.name})`);
  if (o.subnet !== d.subnet) diffs.push(`subnet ${o.subnet} (want ${d.subnet})`);
  if (o.gateway !== d.gateway) diffs.push(`gateway ${o.gateway} (want ${d.gateway})`);
  if (o.ipRange !== (d.ipRange ?? '')) diffs.push(`ip range ${o.ipRange || 'none'} (want ${d.ipRange ?? 'none'})`);
  if (o.bridge !== d.bridge) diffs.push(`bridge ${o.bridge} (want ${d.bridge})`);
  if (o.internal !== d.internal) diffs.push(`internal ${o.internal} (want ${d.internal})`);
  if (o.mtu !== d.mtu) diffs.push(`mtu ${o.mtu ?? 'default'} (want ${d.mtu})`);
  return diffs.join(', ');
}

function vxlanNeedsRecreate(d: DesiredNetwork, v: ObservedVxlan): boolean {
  return v.vni !== d.vni || v.local !== d.local || v.port !== d.port || v.learning || !v.proxy;
}

/** The Docker network side of one desired network; returns whether the network will exist after the plan. */
function planDocker(d: DesiredNetwork, obs: ObservedState, out: NetworkPlan): boolean {
  const mine = obs.dockerNetworks.filter((o) => o.networkId === d.id);
  const byName = obs.dockerNetworks.find((o) => o.name === d.name && o.networkId !== d.id);
  const good = mine.find((o) => dockerMismatch(d, o) === '');
  for (const o of mine) {
    if (o === good) continue;
    if (o.containers > 0) {
      out.notes.push(`Docker network ${o.name} (${o.dockerId.slice(0, 12)}) of network ${d.name} differs: ${dockerMismatch(d, o)}; it is rebuilt once its ${o.containers} container(s) are gone`);
      continue;
    }
    out.actions.push({ kind: 'remove-docker-network', dockerId: o.dockerId, name: o.name });
  }
  if (good) return true;
  if (mine.some((o) => o.containers > 0)) return false;
  if (byName?.legacy && byName.containers === 0) out.actions.push({ kind: 'remove-docker-network', dockerId: byName.dockerId, name: byName.name });
  else if (byName && (byName.networkId === '' || byName.containers > 0)) {
    const whose = byName.legacy ? 'of an older shoal, still in use,' : byName.networkId === '' ? 'that shoal did not create' : `of another shoal network (${byName.networkId})`;
    out.notes.push(`cannot create network ${d.name} on this node: a Docker network ${whose} holds the name; remove it`);
    return false;
  }
  out.actions.push({ kind: 'create-docker-network', network: d });
  return true;
}

/** The VXLAN device of a desired network whose Docker network exists (or is created by this plan). */
function planVxlan(d: DesiredNetwork, obs: ObservedState, out: NetworkPlan): boolean {
  const v = obs.vxlans.find((x) => x.name === d.vxlan);
  if (!v || vxlanNeedsRecreate(d, v)) {
    if (v) out.actions.push({ kind: 'remove-link', name: v.name });
    out.actions.push({ kind: 'create-vxlan', network: d });
    return false;
  }
  if (v.master !== d.bridge || v.mtu !== d.mtu || !v.up || v.portLearning) out.actions.push({ kind: 'set-vxlan', name: v.name, mtu: d.mtu, master: d.bridge });
  return true;
}

/**
 * Static entries of the device: exactly the peers. Each remote MAC has a VXLAN fdb entry (where to
 * send it), a bridge entry on the VXLAN port (the bridge never learns there, so an address that
 * moves to a container on this node is not sent into the tunnel by a stale learned entry) and a
 * neighbour entry (the device answers ARP for it).
 */
function planEntries(d: DesiredNetwork, obs: ObservedState, existing: boolean, out: NetworkPlan): void {
  if (!d.peers) return;
  const dev = d.vxlan;
  const fdb = existing ? obs.fdb.filter((f) => f.dev === dev) : [];
  const neigh = existing ? obs.neigh.filter((n) => n.dev === dev) : [];
  const ports = existing ? obs.portEntries.filter((e) => e.dev === dev) : [];
  const want = new Map(d.peers.map((p) => [p.mac, p]));
  const wantMac = new Map(d.peers.map((p) => [p.address, p.mac]));
  const same = (f: ObservedFdb, p: Peer) => f.mac === p.mac && f.dst === p.dst && (f.port ?? d.port) === p.port;
  for (const f of fdb) {
    const p = want.get(f.mac);
    if (!p || !same(f, p)) out.actions.push({ kind: 'fdb-del', dev, mac: f.mac, dst: f.dst });
  }
  for (const e of ports) {
    if (!want.has(e.mac)) out.actions.push({ kind: 'port-entry-del', dev, mac: e.mac });
  }
  for (const n of neigh) {
    if (wantMac.get(n.address) !== n.mac) out.actions.push({ kind: 'neigh-del', dev, address: n.address });
  }
  const haveFdb = new Set(fdb.map((f) => `${f.mac} ${f.dst} ${f.port ?? d.port}`));
  const haveNeigh = new Set(neigh.map((n) => `${n.address} ${n.mac}`));
  const havePort = new Set(ports.map((e) => e.mac));
  for (const p of d.peers) {
    if (!haveFdb.has(`${p.mac} ${p.dst} ${p.port}`)) out.actions.push({ kind: 'fdb-replace', dev, mac: p.mac, dst: p.dst, port: p.port === d.port ? undefined : p.port });
    if (!havePort.has(p.mac)) out.actions.push({ kind: 'port-entry-replace', dev, mac: p.mac });
    if (!haveNeigh.has(`${p.address} ${p.mac}`)) out.actions.push({ kind: 'neigh-replace', dev, address: p.address, mac: p.mac });
  }
}

/**
 * The ingress network's bridge (issue 11): this node's MAC (`macForAddress` of its address) and
 * its address besides the gateway, so that a task can tell which node handed it a connection and
 * send the reply back through it. Other IPv4 addresses on that bridge (an address the node had
 * before) are removed; the gateway is never touched.
 */
function planIngressBridge(d: DesiredNetwork, obs: ObservedState, out: NetworkPlan): void {
  if (!d.ingress) return;
  const created = out.actions.some((a) => a.kind === 'create-docker-network' && a.network.id === d.id);
  const seen = created ? undefined : obs.bridgeAddrs?.find((b) => b.name === d.bridge);
  const prefix = d.subnet.split('/')[1] ?? '';
  const keep = new Set([`${d.gateway}/${prefix}`, ...(d.self ? [`${d.self.address}/${d.self.prefix}`] : [])]);
  for (const cidr of seen?.addresses ?? []) if (!keep.has(cidr)) out.actions.push({ kind: 'addr-del', dev: d.bridge, cidr });
  if (!d.self) return;
  if (seen?.mac !== d.self.mac) out.actions.push({ kind: 'set-bridge-mac', name: d.bridge, mac: d.self.mac });
  const mine = `${d.self.address}/${d.self.prefix}`;
  if (!seen?.addresses.includes(mine)) out.actions.push({ kind: 'addr-replace', dev: d.bridge, cidr: mine });
}

/** Shoal's Docker networks and devices that no desired network accounts for. */
function planStale(desired: readonly DesiredNetwork[], obs: ObservedState, out: NetworkPlan): void {
  const ids = new Set(desired.map((d) => d.id));
  const kept = new Set<string>();
  for (const o of obs.dockerNetworks) {
    if (o.networkId === '' || ids.has(o.networkId)) continue;
    if (o.containers > 0) {
      kept.add(o.bridge);
      kept.add(o.networkId);
      continue;
    }
    out.actions.push({ kind: 'remove-docker-network', dockerId: o.dockerId, name: o.name });
  }
  const dockerBridges = new Set(obs.dockerNetworks.map((o) => o.bridge));
  for (const b of obs.bridges) if (!dockerBridges.has(b)) out.actions.push({ kind: 'remove-link', name: b });
  const wantVxlans = new Set(desired.map((d) => d.vxlan));
  for (const v of obs.vxlans) {
    if (wantVxlans.has(v.name) || (v.master !== undefined && kept.has(v.master))) continue;
    out.actions.push({ kind: 'remove-link', name: v.name });
  }
}

/**
 * Read, diff, apply: what to do so that the node has exactly the desired overlay networks — a
 * Docker bridge network each (subnet, gateway, bridge name, MTU, internal flag), a VXLAN device
 * enslaved to its bridge, and one static fdb and neighbour entry per remote endpoint. What is
 * right is adopted as it is; what is wrong is fixed; what is stale is removed (a Docker network
 * only once no container names it).
 */
export function planNetworks(desired: readonly DesiredNetwork[], obs: ObservedState, o: PlanOptions): NetworkPlan {
  const out: NetworkPlan = { actions: [], notes: [] };
  for (const d of desired) {
    if (!planDocker(d, obs, out)) continue;
    planIngressBridge(d, obs, out);
    const existing = planVxlan(d, obs, out);
    planEntries(d, obs, existing, out);
  }
  if (o.removeStale) planStale(desired, obs, out);
  return { actions: sortActions(out.actions), notes: out.notes };
}

/** Everything shoal made for overlays on this node, removed (swarm leave): Docker networks first, then devices. */
export function planRemoveAll(obs: ObservedState): NetworkPlan {
  const actions: NetworkAction[] = [];
  for (const o of obs.dockerNetworks) if (o.networkId !== '') actions.push({ kind: 'remove-docker-network', dockerId: o.dockerId, name: o.name });
  const removedBridges = new Set(obs.dockerNetworks.filter((o) => o.networkId !== '').map((o) => o.bridge));
  for (const v of obs.vxlans) actions.push({ kind: 'remove-link', name: v.name });
  for (const b of obs.bridges) if (!removedBridges.has(b)) actions.push({ kind: 'remove-link', name: b });
  return { actions: sortActions(actions), notes: [] };
}
