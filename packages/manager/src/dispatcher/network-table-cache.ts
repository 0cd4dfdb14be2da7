import type { ReadTx, WatchEvent } from '../store/types.js';
import { NetworkMembers, type Affected } from './network-members.js';
import { buildNodeNetwork } from './network-table.js';

/**
 * The dispatcher's NetworkTables as JSON, built once per network and change, not once per node:
 * each network's JSON is cached until an entry touches it, and a node's table is the join of the
 * cached JSON of its networks. Each network's text has a generation, bumped only when a rebuild
 * gives a different text, so a stream tells whether its node's table changed from a short key
 * (network IDs and generations) without joining or comparing the text. A change on a network
 * with E endpoints costs one O(E log E) build, plus one join per node that has the network and
 * must be sent it. Pure: the io shell feeds it watch events (with the view after each entry).
 */
export interface NodeTableJson {
  /** Equal for equal tables of a node (network IDs and their text generations). */
  key: string;
  /** Every network the node needs, including any not yet allocated (so left out of the text). */
  needed: string[];
  /** `{"networks":[...]}`: equal states give equal text. */
  json(): string;
}

export type CacheWarning = (msg: string, fields: Record<string, unknown>) => void;

interface Piece {
  /** null: the network is gone or not allocated, so it is left out. */
  text: string | null;
  generation: number;
  stale: boolean;
}

export class NetworkTableCache {
  private members: NetworkMembers | undefined;
  private readonly pieces = new Map<string, Piece>();
  private generation = 0;
  /** What was last said about each network cut to its bounds (said again only when it changes). */
  private readonly cut = new Map<string, string>();

  constructor(private readonly warn: CacheWarning) {}

  /** Takes in one entry's events; says which networks and nodes they touched. */
  observe(events: readonly WatchEvent[], view: ReadTx): Affected {
    if (!this.members) {
      // Built from the view after this entry, the index already holds its changes.
      this.members = NetworkMembers.fromView(view);
      for (const piece of this.pieces.values()) piece.stale = true;
      return { networks: new Set(), nodes: new Set(), everyNode: true };
    }
    const affected = this.members.observe(events, view);
    for (const id of affected.networks) {
      const piece = this.pieces.get(id);
      if (piece) piece.stale = true;
    }
    return affected;
  }

  tableFor(view: ReadTx, nodeId: string): NodeTableJson {
    const members = this.index(view);
    const needed = members.networksOf(nodeId);
    const pieces = needed.map((id) => this.piece(view, id, members));
    const key = needed.map((id, i) => `${id}:${pieces[i]!.generation}`).join(',');
    return { key, needed, json: () => `{"networks":[${pieces.flatMap((p) => (p.text === null ? [] : [p.text])).join(',')}]}` };
  }

  /** The length of the network's JSON when last built; 0 when never built. */
  sizeOf(networkId: string): number {
    return this.pieces.get(networkId)?.text?.length ?? 0;
  }

  /** Forgets everything (a new leader term: the index is rebuilt from the view on next use). */
  reset(): void {
    this.members = undefined;
    this.pieces.clear();
    this.cut.clear();
  }

  private warnIfCut(id: string, built: ReturnType<typeof buildNodeNetwork>): void {
    const said = built && (built.droppedEndpoints > 0 || built.droppedServices > 0 || (built.droppedNodes ?? 0) > 0) ? `${built.droppedEndpoints}/${built.droppedServices}/${built.droppedNodes ?? 0}` : '';
    if (said === (this.cut.get(id) ?? '')) return;
    if (said) this.cut.set(id, said);
    else this.cut.delete(id);
    if (said) this.warn('network table cut to its bounds', { network: built!.network.name, droppedEndpoints: built!.droppedEndpoints, droppedServices: built!.droppedServices, ...(built!.droppedNodes ? { droppedNodes: built!.droppedNodes } : {}) });
  }

  private index(view: ReadTx): NetworkMembers {
    this.members ??= NetworkMembers.fromView(view);
    return this.members;
  }

  private piece(view: ReadTx, id: string, members: NetworkMembers): Piece {
    const cached = this.pieces.get(id);
    if (cached && !cached.stale) return cached;
    const network = view.get('networks', id);
    const built = network ? buildNodeNetwork(view, network, members) : undefined;
    this.warnIfCut(id, built);
    const text = built ? JSON.stringify(built.network) : null;
    if (cached && cached.text === text) {
      cached.stale = false;
      return cached;
    }
    const piece: Piece = { text, generation: ++this.generation, stale: false };
    this.pieces.set(id, piece);
    return piece;
  }
}
