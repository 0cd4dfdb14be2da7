import { addressOf, isTerminalState, type Network, type Node, type Service, type Task } from '@shoal/common';
import type { ReadTx, WatchEvent } from '../store/types.js';

/**
 * The index the NetworkTable is built through, kept by the dispatcher beside the store (the store's
 * indexes file an object under one key; a task or service sits on several networks): which live
 * tasks have an address on each network, which services attach to each network, which networks
 * each node's live tasks use, which networks are attachable, which is the ingress network and
 * which nodes have their own address on it. Built from a view once, then kept
 * from watch events; `observe` also says which networks and nodes an entry touched, comparing
 * only what a table shows, so status chatter (a task's message, its way from accepted to
 * starting) touches nothing.
 */

/** What one committed entry changed for the tables: networks to rebuild, nodes whose set may differ. */
export interface Affected {
  networks: Set<string>;
  nodes: Set<string>;
  /** A network became or stopped being attachable (or appeared, or went): every node's set may differ. */
  everyNode: boolean;
}

/** A task is an endpoint (and keeps its node on its networks) while it is placed and has not ended. */
export function isLiveEndpoint(task: Task): boolean {
  return task.nodeId !== '' && !isTerminalState(task.status.state) && (task.networks?.length ?? 0) > 0;
}

/**
 * Running, meant to run, and healthy where its spec has a healthcheck (not `NONE`). The table also
 * takes a task on a node that is down out of service (`nodeIsUp`): its node cannot be reached, and
 * a global task there is not replaced.
 */
export function isServing(task: Task): boolean {
  if (task.status.state !== 'running' || task.desiredState !== 'running') return false;
  const test = task.spec.container.healthcheck?.test ?? [];
  const checked = test.length > 0 && test[0] !== 'NONE';
  return !checked || task.status.health === 'healthy';
}

/** Whether a node's tasks may serve: it is not down (missed heartbeats). */
export function nodeIsUp(node: Node | undefined): boolean {
  return !!node && node.status.state !== 'down';
}

/** The host part of a node's address ("10.99.0.2:2377" → "10.99.0.2", "[fd00::1]:2377" → "fd00::1"). */
export function hostOf(addr: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(addr);
  if (bracketed) return bracketed[1]!;
  const colons = addr.split(':').length - 1;
  return colons === 1 ? addr.slice(0, addr.indexOf(':')) : addr;
}

/** What a table shows of a task on each of its networks: a change of it touches the network. */
function taskFacts(task: Task | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!task || !isLiveEndpoint(task)) return out;
  for (const n of task.networks!) out.set(n.networkId, `${task.serviceId}|${addressOf(n.address)}|${task.nodeId}|${isServing(task)}`);
  return out;
}

/** What a table shows of a service on each network it names (by target: a network name or id). */
function serviceFacts(service: Service | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!service) return out;
  const vips = service.endpoint?.virtualIps ?? [];
  for (const a of service.spec.task.networks) {
    out.set(a.target, JSON.stringify([service.spec.annotations.name, a.aliases, service.spec.endpoint.mode ?? 'vip', vips]));
  }
  return out;
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k));
}

function add(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}

function drop(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  set?.delete(id);
  if (set?.size === 0) map.delete(key);
}

export class NetworkMembers {
  /** networkId → ids of its live endpoint tasks. */
  private readonly endpoints = new Map<string, Set<string>>();
  /** attachment target (network name, or id) → ids of the services that name it. */
  private readonly services = new Map<string, Set<string>>();
  /** nodeId → networkId → how many live tasks of the node are on it. */
  private readonly nodeNetworks = new Map<string, Map<string, number>>();
  private readonly attachable = new Set<string>();
  /** The ingress network's id (issue 11), while the cluster has one. */
  private ingressId: string | undefined;
  /** nodeId → the network the node has its own ingress address on (`Node.ingress`). */
  private readonly meshNodes = new Map<string, string>();

  /** One pass over the tasks, services and networks of a view. */
  static fromView(view: ReadTx): NetworkMembers {
    const m = new NetworkMembers();
    for (const t of view.list('tasks')) m.fileTask(undefined, t);
    for (const s of view.list('services')) m.fileService(undefined, s);
    for (const n of view.list('networks')) m.onNetwork(undefined, n, { networks: new Set(), nodes: new Set(), everyNode: false });
    for (const n of view.list('nodes')) if (n.ingress) m.meshNodes.set(n.id, n.ingress.networkId);
    return m;
  }

  endpointIds(networkId: string): ReadonlySet<string> {
    return this.endpoints.get(networkId) ?? new Set();
  }

  /** The services that attach to the network, by its name or its id. */
  serviceIds(network: Network): Set<string> {
    return new Set([...(this.services.get(network.spec.annotations.name) ?? []), ...(this.services.get(network.id) ?? [])]);
  }

  /**
   * The networks a node needs: those of its live tasks, every attachable one, and the ingress
   * network once the node has its own address there. Sorted.
   */
  networksOf(nodeId: string): string[] {
    const ingress = this.ingressId !== undefined && this.meshNodes.get(nodeId) === this.ingressId ? [this.ingressId] : [];
    return [...new Set([...(this.nodeNetworks.get(nodeId)?.keys() ?? []), ...this.attachable, ...ingress])].sort();
  }

  /** The nodes with their own address on the network (the ingress network), unsorted. */
  meshNodeIds(networkId: string): string[] {
    return [...this.meshNodes].flatMap(([nodeId, on]) => (on === networkId ? [nodeId] : []));
  }

  /** Takes in one entry's events (the view is the state after it) and says what they touched. */
  observe(events: readonly WatchEvent[], view: ReadTx): Affected {
    const affected: Affected = { networks: new Set(), nodes: new Set(), everyNode: false };
    for (const e of events) {
      const old = e.kind === 'update' ? e.old : e.kind === 'remove' ? e.object : undefined;
      const now = e.kind === 'remove' ? undefined : e.object;
      if (e.table === 'tasks') this.onTask(old as Task | undefined, now as Task | undefined, affected);
      else if (e.table === 'services') this.onService(old as Service | undefined, now as Service | undefined, affected, view);
      else if (e.table === 'networks') this.onNetwork(old as Network | undefined, now as Network | undefined, affected);
      else if (e.table === 'nodes') this.onNode(old as Node | undefined, now as Node | undefined, affected);
    }
    return affected;
  }

  private onTask(old: Task | undefined, now: Task | undefined, affected: Affected): void {
    for (const id of changedKeys(taskFacts(old), taskFacts(now))) affected.networks.add(id);
    const wasLive = !!old && isLiveEndpoint(old);
    const isLive = !!now && isLiveEndpoint(now);
    if (!wasLive && !isLive) return;
    const before = wasLive ? `${old.nodeId}|${old.networks!.map((n) => n.networkId).join(',')}` : '';
    const after = isLive ? `${now.nodeId}|${now.networks!.map((n) => n.networkId).join(',')}` : '';
    if (before === after) return;
    this.fileTask(old, now);
    if (wasLive) affected.nodes.add(old.nodeId);
    if (isLive) affected.nodes.add(now.nodeId);
  }

  private fileTask(old: Task | undefined, now: Task | undefined): void {
    if (old && isLiveEndpoint(old)) {
      for (const n of old.networks!) {
        drop(this.endpoints, n.networkId, old.id);
        this.count(old.nodeId, n.networkId, -1);
      }
    }
    if (now && isLiveEndpoint(now)) {
      for (const n of now.networks!) {
        add(this.endpoints, n.networkId, now.id);
        this.count(now.nodeId, n.networkId, 1);
      }
    }
  }

  private count(nodeId: string, networkId: string, by: number): void {
    const nets = this.nodeNetworks.get(nodeId) ?? new Map<string, number>();
    const n = (nets.get(networkId) ?? 0) + by;
    if (n > 0) nets.set(networkId, n);
    else nets.delete(networkId);
    if (nets.size > 0) this.nodeNetworks.set(nodeId, nets);
    else this.nodeNetworks.delete(nodeId);
  }

  private onService(old: Service | undefined, now: Service | undefined, affected: Affected, view: ReadTx): void {
    const changed = changedKeys(serviceFacts(old), serviceFacts(now));
    if (changed.length === 0) return;
    this.fileService(old, now);
    for (const target of changed) {
      const network = view.get('networks', target) ?? view.byIndex('networks', 'name', target)[0];
      if (network) affected.networks.add(network.id);
    }
  }

  private fileService(old: Service | undefined, now: Service | undefined): void {
    for (const a of old?.spec.task.networks ?? []) drop(this.services, a.target, old!.id);
    for (const a of now?.spec.task.networks ?? []) add(this.services, a.target, now!.id);
  }

  private onNetwork(old: Network | undefined, now: Network | undefined, affected: Affected): void {
    const id = (now ?? old)!.id;
    affected.networks.add(id);
    if (now?.spec.attachable) this.attachable.add(id);
    else this.attachable.delete(id);
    if (now?.spec.ingress) this.ingressId = id;
    else if (this.ingressId === id) this.ingressId = undefined;
    if (old?.spec.attachable || now?.spec.attachable || old?.spec.ingress || now?.spec.ingress) affected.everyNode = true;
  }

  /**
   * A node's underlay address, and whether it is up, are in every endpoint of its tasks; its
   * ingress address and underlay address are in the ingress network's `nodes`.
   */
  private onNode(old: Node | undefined, now: Node | undefined, affected: Affected): void {
    const nodeId = (now ?? old)!.id;
    const meshBefore = old?.ingress ? `${old.ingress.networkId}|${old.ingress.address}|${hostOf(old.status.addr)}` : '';
    const meshAfter = now?.ingress ? `${now.ingress.networkId}|${now.ingress.address}|${hostOf(now.status.addr)}` : '';
    if (meshBefore !== meshAfter) {
      if (now?.ingress) this.meshNodes.set(nodeId, now.ingress.networkId);
      else this.meshNodes.delete(nodeId);
      if (old?.ingress) affected.networks.add(old.ingress.networkId);
      if (now?.ingress) affected.networks.add(now.ingress.networkId);
      if (old?.ingress?.networkId !== now?.ingress?.networkId) affected.nodes.add(nodeId);
    }
    if (old && now && hostOf(old.status.addr) === hostOf(now.status.addr) && nodeIsUp(old) === nodeIsUp(now)) return;
    for (const id of this.nodeNetworks.get(nodeId)?.keys() ?? []) affected.networks.add(id);
  }
}
