import { addressOf, type Network, type Node, type Service, type Task } from '@shoal/common';
import { heldAddressKeys, INGRESS_KEY, ingressPortKeys, nodeIngressKey, vipKeys } from './indexes.js';
import type { TableSet } from './table-set.js';
import type { StoreAction } from './types.js';

/** `table/id` of an object a transaction writes. */
type Ref = string;

const allAddressKeys = (t: Task | undefined) => new Set((t?.networks ?? []).map((n) => `${n.networkId}|${addressOf(n.address)}`));
const NONE: ReadonlySet<string> = new Set();
const plain = (key: string) => key.slice(key.indexOf('|') + 1);

/** "10.0.1.0/24" → [first, last] as numbers; undefined when malformed (never stored by control). */
function range(subnet: string | undefined): [number, number] | undefined {
  const m = subnet ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(subnet) : null;
  if (!m) return undefined;
  const base = ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]);
  return [base, base + 2 ** (32 - Number(m[5])) - 1];
}

/**
 * What the allocator hands out is unique: a task address, VIP or node's ingress address on a network, a network's VXLAN ID,
 * name and subnet. Control and the allocator check this when they build a transaction, but two
 * transactions built on one view can both pass; this runs again at apply time, against the tables
 * plus the transaction's own actions, so only the first one commits. Only what an action newly
 * claims is checked (a status update claims nothing), through the store's indexes: O(changes),
 * except that a network whose subnet is new is compared with every network (networks are few).
 */
export class NetworkClaims {
  /** Objects written so far: `table/id` → address/VIP keys held after the write (null: removed). */
  private readonly holders = new Map<Ref, ReadonlySet<string> | null>();
  /** Keys newly claimed, with who claims them. */
  private readonly claims: [Ref, string][] = [];
  private readonly networks = new Map<string, Network | null>();
  /** Services written so far: id → the spec's network targets after the write (null: removed). */
  private readonly targets = new Map<string, Service | null>();

  constructor(private readonly tables: TableSet) {}

  stage(action: StoreAction): void {
    const id = action.kind === 'remove' ? action.id : action.object.id;
    const after = action.kind === 'remove' ? undefined : action.object;
    if (action.table === 'tasks') {
      // Most task writes carry no overlay address: they claim nothing, and need no lookup.
      if (after && !(after as Task).networks?.length) this.holders.set(`tasks/${id}`, NONE);
      else this.stageHolder(`tasks/${id}`, after && heldAddressKeys(after as Task), allAddressKeys(this.tables.get('tasks', id)));
    }
    if (action.table === 'services') {
      const before = this.tables.get('services', id);
      this.stageHolder(`services/${id}`, after && vipKeys(after as Service), new Set(before ? vipKeys(before) : []));
      this.targets.set(id, (after as Service | undefined) ?? null);
    }
    if (action.table === 'nodes') {
      // A node holds at most its own ingress address; most node writes keep it as it was.
      const key = after ? nodeIngressKey(after as Node) : undefined;
      const before = this.tables.get('nodes', id);
      this.stageHolder(`nodes/${id}`, after && (key ? [key] : []), new Set(before && nodeIngressKey(before) ? [nodeIngressKey(before)!] : []));
    }
    if (action.table === 'networks') this.networks.set(id, (after as Network | undefined) ?? null);
  }

  /** Why the transaction, once all its actions are staged, would hand something out twice. */
  clash(): string | undefined {
    for (const [ref, key] of this.claims) {
      if (this.heldElsewhere(ref, key)) return `address ${plain(key)} on network ${this.networkName(key)} is already in use`;
    }
    for (const [id, network] of this.networks) {
      const why = network ? this.networkClash(id, network) : this.networkInUse(id);
      if (why) return why;
    }
    for (const [id, service] of this.targets) {
      const why = service ? (this.missingTarget(id, service) ?? this.portTaken(id, service)) : undefined;
      if (why) return why;
    }
    return undefined;
  }

  private stageHolder(ref: Ref, keys: readonly string[] | undefined, before: ReadonlySet<string>): void {
    const now = new Set(keys ?? []);
    this.holders.set(ref, keys ? now : null);
    for (const key of now) if (!before.has(key)) this.claims.push([ref, key]);
  }

  private heldElsewhere(ref: Ref, key: string): boolean {
    const stored = [...(this.tables.idsBy('tasks', 'address', key) ?? [])].map((id) => `tasks/${id}`);
    stored.push(...[...(this.tables.idsBy('services', 'vip', key) ?? [])].map((id) => `services/${id}`));
    stored.push(...[...(this.tables.idsBy('nodes', 'ingressAddress', key) ?? [])].map((id) => `nodes/${id}`));
    if (stored.some((other) => other !== ref && !this.holders.has(other))) return true;
    for (const [other, keys] of this.holders) if (other !== ref && keys?.has(key)) return true;
    return false;
  }

  private networkName(key: string): string {
    const id = key.slice(0, key.indexOf('|'));
    const n = this.networks.get(id) ?? this.tables.get('networks', id);
    return n ? n.spec.annotations.name : id;
  }

  /** The network as staged, else as stored, unless removed in this transaction. */
  private network(id: string): Network | undefined {
    return this.networks.has(id) ? (this.networks.get(id) ?? undefined) : this.tables.get('networks', id);
  }

  private othersWith(index: 'name' | 'vxlanId' | 'ingress', key: string, id: string): boolean {
    const stored = [...(this.tables.idsBy('networks', index, key) ?? [])].filter((other) => other !== id && !this.networks.has(other));
    if (stored.length > 0) return true;
    const keyOf = (n: Network) => (index === 'name' ? n.spec.annotations.name : index === 'ingress' ? (n.spec.ingress ? INGRESS_KEY : '') : String(n.allocation?.vxlanId));
    return [...this.networks].some(([other, n]) => other !== id && n !== null && keyOf(n) === key);
  }

  private networkClash(id: string, network: Network): string | undefined {
    const before = this.tables.get('networks', id);
    const name = network.spec.annotations.name;
    if (before?.spec.annotations.name !== name && this.othersWith('name', name, id)) return `network ${name} already exists`;
    if (network.spec.ingress && !before?.spec.ingress && this.othersWith('ingress', INGRESS_KEY, id)) return 'ingress network already present';
    const a = network.allocation;
    if (!a) return undefined;
    if (before?.allocation?.vxlanId !== a.vxlanId && this.othersWith('vxlanId', String(a.vxlanId), id)) return `VXLAN ID ${a.vxlanId} is already in use`;
    if (before?.allocation?.subnet === a.subnet) return undefined;
    const mine = range(a.subnet);
    const others = new Map(this.tables.list('networks').map((n) => [n.id, n]));
    for (const [other, n] of this.networks) if (n) others.set(other, n); else others.delete(other);
    for (const [other, n] of others) {
      const theirs = other === id || !n ? undefined : range(n.allocation?.subnet);
      if (mine && theirs && mine[0] <= theirs[1] && theirs[0] <= mine[1]) {
        return `subnet ${a.subnet} overlaps network ${n!.spec.annotations.name} (${n!.allocation!.subnet})`;
      }
    }
    return undefined;
  }

  /** A removed network must not be named by any service (stored or written here). */
  private networkInUse(id: string): string | undefined {
    const gone = this.tables.get('networks', id);
    if (!gone) return undefined;
    const name = gone.spec.annotations.name;
    if (gone.spec.ingress) return this.meshInUse();
    if (this.othersWith('name', name, id)) return undefined;
    const stored = [...(this.tables.idsBy('services', 'networkTarget', name) ?? [])].filter((s) => !this.targets.has(s));
    const staged = [...this.targets].filter(([, s]) => s?.spec.task.networks.some((n) => n.target === name)).map(([sid]) => sid);
    const user = stored[0] ?? staged[0];
    if (user === undefined) return undefined;
    const service = this.targets.get(user) ?? this.tables.get('services', user);
    return `network ${name} is in use by service ${service?.spec.annotations.name ?? user}`;
  }

  /** The ingress network must not go while a service (stored or written here) publishes ingress ports. */
  private meshInUse(): string | undefined {
    if (this.othersWith('ingress', INGRESS_KEY, '')) return undefined;
    const publishes = (s: Service) => s.spec.endpoint.ports.some((p) => p.publishMode === 'ingress');
    const stored = [...(this.tables.idsBy('services', 'ingressPorts', INGRESS_KEY) ?? [])].filter((s) => !this.targets.has(s));
    const staged = [...this.targets].filter(([, s]) => s && publishes(s)).map(([sid]) => sid);
    const user = stored[0] ?? staged[0];
    if (user === undefined) return undefined;
    const service = this.targets.get(user) ?? this.tables.get('services', user);
    return `ingress network cannot be removed because service ${service?.spec.annotations.name ?? user} depends on it`;
  }

  /** A service's newly published ingress port must not be another service's (stored or written here). */
  private portTaken(id: string, service: Service): string | undefined {
    const before = new Set(ingressPortKeys(this.tables.get('services', id)));
    for (const key of ingressPortKeys(service)) {
      if (before.has(key)) continue;
      const stored = [...(this.tables.idsBy('services', 'publishedPort', key) ?? [])].find((o) => o !== id && !this.targets.has(o));
      const other = stored ?? [...this.targets].find(([o, s]) => o !== id && s !== null && ingressPortKeys(s).includes(key))?.[0];
      if (other === undefined) continue;
      const name = (this.targets.get(other) ?? this.tables.get('services', other))?.spec.annotations.name ?? other;
      return `port '${key.slice(0, key.indexOf('/'))}' is already in use by service '${name}' (${other}) as an ingress port`;
    }
    return undefined;
  }

  /**
   * A service's new VIPs must be on networks that exist (a network removed meanwhile is refused).
   * Only VIPs are checked, not the names in the spec: entries from before overlays name networks
   * that have no object, and replaying them must give the same result as it did then.
   */
  private missingTarget(id: string, service: Service): string | undefined {
    const before = new Set((this.tables.get('services', id)?.endpoint?.virtualIps ?? []).map((v) => v.networkId));
    for (const { networkId } of service.endpoint?.virtualIps ?? []) {
      if (!before.has(networkId) && !this.network(networkId)) return `network ${networkId} not found`;
    }
    return undefined;
  }
}
