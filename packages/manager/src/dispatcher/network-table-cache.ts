import type { ReadTx, WatchEvent } from '../store/types.js';
import { NetworkMembers, type Affected } from './network-members.js';
import { buildNodeNetwork } from './network-table.js';

/**
 * The dispatcher's NetworkTables as JSON, built once per network and change, not once per node:
 * each network's JSON is cached until an entry touches it, and a node's table is the join of the
 * cached JSON of its networks. A change on a network with E endpoints costs one O(E log E) build
 * plus, per node that has the network, a string join. Pure: the io shell feeds it watch events
 * (with the view after each entry) and asks for tables.
 */
export interface NodeTableJson {
  /** `{"networks":[...]}`: equal states give equal text. */
  json: string;
  /** Every network the node needs, including any not yet allocated (so left out of `json`). */
  needed: string[];
}

export type CacheWarning = (msg: string, fields: Record<string, unknown>) => void;

export class NetworkTableCache {
  private members: NetworkMembers | undefined;
  private readonly pieces = new Map<string, string | null>();
  /** The length of each network's JSON when last built (kept through invalidation). */
  private readonly sizes = new Map<string, number>();

  constructor(private readonly warn: CacheWarning) {}

  /** Takes in one entry's events; says which networks and nodes they touched. */
  observe(events: readonly WatchEvent[], view: ReadTx): Affected {
    if (!this.members) {
      // Built from the view after this entry, the index already holds its changes.
      this.members = NetworkMembers.fromView(view);
      this.pieces.clear();
      return { networks: new Set(), nodes: new Set(), everyNode: true };
    }
    const affected = this.members.observe(events, view);
    for (const id of affected.networks) this.pieces.delete(id);
    return affected;
  }

  tableFor(view: ReadTx, nodeId: string): NodeTableJson {
    const members = this.index(view);
    const needed = members.networksOf(nodeId);
    const parts: string[] = [];
    for (const id of needed) {
      const piece = this.piece(view, id, members);
      if (piece !== null) parts.push(piece);
    }
    return { json: `{"networks":[${parts.join(',')}]}`, needed };
  }

  /** The length of the network's JSON when last built; 0 when never built. */
  sizeOf(networkId: string): number {
    return this.sizes.get(networkId) ?? 0;
  }

  /** Forgets everything (a new leader term: the index is rebuilt from the view on next use). */
  reset(): void {
    this.members = undefined;
    this.pieces.clear();
    this.sizes.clear();
  }

  private index(view: ReadTx): NetworkMembers {
    this.members ??= NetworkMembers.fromView(view);
    return this.members;
  }

  private piece(view: ReadTx, id: string, members: NetworkMembers): string | null {
    const cached = this.pieces.get(id);
    if (cached !== undefined) return cached;
    const network = view.get('networks', id);
    const built = network ? buildNodeNetwork(view, network, members) : undefined;
    if (built && (built.droppedEndpoints > 0 || built.droppedServices > 0)) {
      this.warn('network table cut to its bounds', { network: built.network.name, droppedEndpoints: built.droppedEndpoints, droppedServices: built.droppedServices });
    }
    const piece = built ? JSON.stringify(built.network) : null;
    this.pieces.set(id, piece);
    if (piece === null) this.sizes.delete(id);
    else this.sizes.set(id, piece.length);
    return piece;
  }
}
