import type { WatchEvent, WatchFilter } from './types.js';

type Listener = (events: WatchEvent[]) => void;

interface Watch {
  readonly seq: number;
  readonly listener: Listener;
  readonly filter: WatchFilter;
}

function nodesOf(event: WatchEvent): string[] {
  if (event.table === 'nodes') return [event.object.id];
  if (event.table !== 'tasks') return [];
  const now = event.object.nodeId;
  const before = event.kind === 'update' ? event.old.nodeId : now;
  return before === now ? [now] : [now, before];
}

function serviceOf(event: WatchEvent): string | undefined {
  if (event.table === 'services') return event.object.id;
  if (event.table === 'tasks') return event.object.serviceId;
  return undefined;
}

function matches(filter: WatchFilter, event: WatchEvent): boolean {
  if (filter.tables && !filter.tables.includes(event.table)) return false;
  if (filter.nodeId !== undefined && !nodesOf(event).includes(filter.nodeId)) return false;
  return filter.serviceId === undefined || serviceOf(event) === filter.serviceId;
}

function addTo<V>(map: Map<string, Set<V>>, key: string, value: V): void {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
}

function removeFrom<V>(map: Map<string, Set<V>>, key: string, value: V): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}

/**
 * The watch listeners, routed: listeners filtered by node or service are found through a map, so
 * an entry costs O(events + listeners that hear something), not O(events × listeners).
 */
export class Watchers {
  private seq = 0;
  private readonly general = new Set<Watch>();
  private readonly byNode = new Map<string, Set<Watch>>();
  private readonly byService = new Map<string, Set<Watch>>();

  add(listener: Listener, filter: WatchFilter = {}): () => void {
    const watch: Watch = { seq: this.seq++, listener, filter: { ...filter } };
    if (filter.nodeId !== undefined) addTo(this.byNode, filter.nodeId, watch);
    else if (filter.serviceId !== undefined) addTo(this.byService, filter.serviceId, watch);
    else this.general.add(watch);
    return () => {
      if (filter.nodeId !== undefined) removeFrom(this.byNode, filter.nodeId, watch);
      else if (filter.serviceId !== undefined) removeFrom(this.byService, filter.serviceId, watch);
      else this.general.delete(watch);
    };
  }

  /** Each listener with the events it hears, in the order the listeners were added. */
  route(events: readonly WatchEvent[]): [Listener, WatchEvent[]][] {
    const heard = new Map<Watch, WatchEvent[]>();
    const hear = (watch: Watch, event: WatchEvent) => {
      if (!matches(watch.filter, event)) return;
      const list = heard.get(watch);
      if (list) list.push(event);
      else heard.set(watch, [event]);
    };
    for (const event of events) {
      for (const watch of this.general) hear(watch, event);
      for (const nodeId of this.byNode.size > 0 ? nodesOf(event) : []) for (const watch of this.byNode.get(nodeId) ?? []) hear(watch, event);
      const serviceId = this.byService.size > 0 ? serviceOf(event) : undefined;
      if (serviceId !== undefined) for (const watch of this.byService.get(serviceId) ?? []) hear(watch, event);
    }
    return [...heard].sort(([a], [b]) => a.seq - b.seq).map(([watch, list]) => [watch.listener, list]);
  }
}
