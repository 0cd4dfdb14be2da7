import type { Network, Node, Service, Task } from '@shoal/common';
import { INGRESS_KEY, ingressNetworkOf } from '../store/indexes.js';
import type { ReadTx, WatchEvent } from '../store/types.js';
import { nodeIsUp } from './network-members.js';
import { backendFact, comparePortKeys, ingressNetworkPart, isMeshPort, MAX_INGRESS_PORTS, portKey, serviceIngressEntries } from './ingress-table.js';
import type { CacheWarning } from './network-table-cache.js';

/** What one committed entry changed for the ingress tables. */
export interface IngressAffected {
  /** The ports or the ingress network changed: every node must be sent its table again. */
  everyNode: boolean;
  /** Nodes whose own part (their ingress address) may have changed. */
  nodes: Set<string>;
}

/** A node's IngressTable as JSON, with a short key that is equal for equal tables. */
export interface IngressTableJson {
  key: string;
  json(): string;
}

const hasMeshPorts = (s: Service | undefined) => !!s && s.spec.endpoint.ports.some(isMeshPort);

/**
 * The dispatcher's IngressTables, built once per committed entry for every node (not per node or
 * per stream): each service's entries are kept as JSON and rebuilt only when an entry touches the
 * service (its spec, a task of it starting or stopping to serve, a node of its tasks going down or
 * up, the ingress network), and the ports' text is joined once per change. A node's table is that
 * text plus its own `network` part. Pure: the io shell (NetworkPush) feeds it watch events.
 */
export class IngressTableCache {
  private loaded = false;
  private ingress: Network | undefined;
  /** `8080/tcp` → the entry's JSON. */
  private readonly entries = new Map<string, string>();
  /** serviceId → the port keys its entries are under. */
  private readonly servicePorts = new Map<string, string[]>();
  private readonly stale = new Set<string>();
  private order: string[] | undefined;
  private text = '';
  private generation = 0;
  /** Ports left out by MAX_INGRESS_PORTS when last said (said again only when it changes). */
  private cut = 0;

  constructor(private readonly warn: CacheWarning) {}

  /** Takes in one entry's events (the view is the state after it) and says whom they touched. */
  observe(events: readonly WatchEvent[], view: ReadTx): IngressAffected {
    const affected: IngressAffected = { everyNode: false, nodes: new Set() };
    if (!this.loaded) {
      this.load(view);
      return { everyNode: true, nodes: affected.nodes };
    }
    for (const e of events) {
      const old = e.kind === 'update' ? e.old : e.kind === 'remove' ? e.object : undefined;
      const now = e.kind === 'remove' ? undefined : e.object;
      if (e.table === 'networks' && ((old as Network | undefined)?.spec.ingress || (now as Network | undefined)?.spec.ingress)) {
        this.ingress = ingressNetworkOf(view);
        this.staleAll(view);
        affected.everyNode = true;
      } else if (e.table === 'services') {
        const id = (now ?? old)!.id;
        if (hasMeshPorts(old as Service | undefined) || hasMeshPorts(now as Service | undefined) || this.servicePorts.has(id)) this.stale.add(id);
      } else if (e.table === 'tasks') {
        const t = (now ?? old) as Task;
        if (this.servicePorts.has(t.serviceId) && backendFact(old as Task | undefined, this.ingress?.id) !== backendFact(now as Task | undefined, this.ingress?.id)) this.stale.add(t.serviceId);
      } else if (e.table === 'nodes') {
        this.onNode(old as Node | undefined, now as Node | undefined, view, affected);
      }
    }
    if (this.refresh(view)) affected.everyNode = true;
    return affected;
  }

  tableFor(view: ReadTx, nodeId: string): IngressTableJson {
    if (!this.loaded) this.load(view);
    const network = ingressNetworkPart(this.ingress, view.get('nodes', nodeId));
    const netText = network ? JSON.stringify(network) : '';
    const text = this.text;
    return { key: `${this.generation}|${netText}`, json: () => `{${netText ? `"network":${netText},` : ''}"ports":[${text}]}` };
  }

  /** Forgets everything (a new leader term: rebuilt from the view on next use). */
  reset(): void {
    this.loaded = false;
    this.ingress = undefined;
    this.entries.clear();
    this.servicePorts.clear();
    this.stale.clear();
    this.order = undefined;
    this.text = '';
    this.cut = 0;
  }

  private load(view: ReadTx): void {
    this.reset();
    this.loaded = true;
    this.ingress = ingressNetworkOf(view);
    this.staleAll(view);
    this.refresh(view);
  }

  private staleAll(view: ReadTx): void {
    for (const s of view.byIndex('services', 'ingressPorts', INGRESS_KEY)) this.stale.add(s.id);
    for (const id of this.servicePorts.keys()) this.stale.add(id);
  }

  /** A node going down or coming back changes its tasks' services; its ingress address, its own part. */
  private onNode(old: Node | undefined, now: Node | undefined, view: ReadTx, affected: IngressAffected): void {
    const id = (now ?? old)!.id;
    if (old?.ingress?.address !== now?.ingress?.address || old?.ingress?.networkId !== now?.ingress?.networkId) affected.nodes.add(id);
    if (!!old && !!now && nodeIsUp(old) === nodeIsUp(now)) return;
    for (const t of view.byIndex('tasks', 'nodeId', id)) if (this.servicePorts.has(t.serviceId) || hasMeshPorts(view.get('services', t.serviceId))) this.stale.add(t.serviceId);
  }

  /** Rebuilds the stale services' entries and the text; true when the text changed. */
  private refresh(view: ReadTx): boolean {
    if (this.stale.size === 0) return false;
    // Old entries first, then new ones: a port one service let go of and another took stays.
    for (const id of this.stale) for (const key of this.servicePorts.get(id) ?? []) this.entries.delete(key);
    for (const id of this.stale) {
      const service = view.get('services', id);
      const built = service ? serviceIngressEntries(view, service, this.ingress?.id) : [];
      const keys = built.map(portKey);
      const before = this.servicePorts.get(id) ?? [];
      if (keys.length !== before.length || keys.some((k, i) => k !== before[i])) this.order = undefined;
      if (keys.length > 0) this.servicePorts.set(id, keys);
      else this.servicePorts.delete(id);
      built.forEach((entry, i) => this.entries.set(keys[i]!, JSON.stringify(entry)));
    }
    this.stale.clear();
    this.order ??= [...this.entries.keys()].sort(comparePortKeys);
    const kept = this.order.length > MAX_INGRESS_PORTS ? this.order.slice(0, MAX_INGRESS_PORTS) : this.order;
    this.warnIfCut(this.order.length - kept.length);
    const text = kept.map((k) => this.entries.get(k)!).join(',');
    if (text === this.text) return false;
    this.text = text;
    this.generation++;
    return true;
  }

  private warnIfCut(dropped: number): void {
    if (dropped === this.cut) return;
    this.cut = dropped;
    if (dropped > 0) this.warn('ingress table cut to its bounds', { droppedPorts: dropped, limit: MAX_INGRESS_PORTS });
  }
}
