/**
 * The simulation's replicated state machine: a small key-value map. A client's put travels as a
 * proposal of the production format (`encodeProposal`: id `clientId:seq`, one transaction of one
 * action, the command). Entries are applied in index order; the host skips its empty and conf
 * entries, so indexes may jump. A client's operation takes effect at most once: an entry whose
 * `seq` is not above the client's last applied `seq` (a duplicated or retried proposal) is
 * skipped.
 */
import type { StoreAction } from '../../packages/manager/src/store/types.js';
import { decodeProposal, encodeProposal } from '../../packages/manager/src/raft/state-machine-data.js';

export type KvCommand = { kind: 'put'; key: string; value: string };

export interface Command {
  clientId: number;
  seq: number;
  op: KvCommand;
}

/** The proposal id of a client's command: its answer waits for the entry with this id. */
export const commandKey = (c: Pick<Command, 'clientId' | 'seq'>): string => `${c.clientId}:${c.seq}`;

export function encodeCommand(c: Command): string {
  return encodeProposal({ p: commandKey(c), t: 0, x: [[c as unknown as StoreAction]] });
}

/** The command an entry carries, or undefined for the leaders' empty entries and conf entries. */
export function decodeCommand(data: Uint8Array | string): Command | undefined {
  if (typeof data !== 'string' || data.length === 0) return undefined;
  return decodeProposal(data).x[0]?.[0] as unknown as Command | undefined;
}

/** The kv's snapshot, as the store's snapshot inside the host's snapshot data. */
export interface KvSnapshot {
  applied: number;
  map: [string, string][];
  lastSeq: [number, number][];
}

export class Kv {
  applied = 0;
  private readonly map = new Map<string, string>();
  /** The last applied seq of each client (duplicate suppression). */
  private readonly lastSeq = new Map<number, number>();

  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }

  seqOf(clientId: number): number {
    return this.lastSeq.get(clientId) ?? 0;
  }

  /** Applies `cmd` at `index` (duplicates only move `applied`). */
  apply(index: number, cmd: Command): void {
    if (index <= this.applied) throw new Error(`kv: applying ${index} at or below applied ${this.applied}`);
    this.applied = index;
    if (cmd.seq <= this.seqOf(cmd.clientId)) return; // a duplicate: already took effect
    this.lastSeq.set(cmd.clientId, cmd.seq);
    this.map.set(cmd.op.key, cmd.op.value);
  }

  /** Canonical form of the state (without the applied index). */
  hash(): string {
    const kv = [...this.map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const seqs = [...this.lastSeq.entries()].sort(([a], [b]) => a - b);
    return JSON.stringify([kv, seqs]);
  }

  snapshot(): KvSnapshot {
    return { applied: this.applied, map: [...this.map.entries()], lastSeq: [...this.lastSeq.entries()] };
  }

  static restore(s: KvSnapshot): Kv {
    const kv = new Kv();
    if (!Number.isInteger(s?.applied) || !Array.isArray(s.map) || !Array.isArray(s.lastSeq)) throw new Error('kv: malformed snapshot');
    kv.applied = s.applied;
    for (const [k, v] of s.map) kv.map.set(k, v);
    for (const [c, q] of s.lastSeq) kv.lastSeq.set(c, q);
    return kv;
  }
}
