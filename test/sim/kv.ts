/**
 * The simulation's replicated state machine: a small key-value map fed by committed log entries
 * whose data is JSON `{ clientId, seq, op }`. Entries are applied idempotently by index (an entry
 * at or below `applied` is skipped), and a client's operation takes effect at most once: an entry
 * whose `seq` is not above the client's last applied `seq` (a duplicated or retried proposal) is
 * skipped too.
 */

export type KvCommand = { kind: 'put'; key: string; value: string };

export interface Command {
  clientId: number;
  seq: number;
  op: KvCommand;
}

export function encodeCommand(c: Command): string {
  return JSON.stringify(c);
}

/** The command an entry carries, or undefined for the leaders' empty entries. */
export function decodeCommand(data: Uint8Array | string): Command | undefined {
  if (typeof data !== 'string' || data.length === 0) return undefined;
  return JSON.parse(data) as Command;
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

  /** Applies the entry at `index`; returns its command when it is new for this state machine. */
  apply(index: number, data: Uint8Array | string): Command | undefined {
    if (index <= this.applied) return undefined;
    if (index !== this.applied + 1) throw new Error(`kv: applying ${index} after ${this.applied} leaves a gap`);
    this.applied = index;
    const cmd = decodeCommand(data);
    if (cmd === undefined) return undefined;
    if (cmd.seq <= this.seqOf(cmd.clientId)) return cmd; // a duplicate: already took effect
    this.lastSeq.set(cmd.clientId, cmd.seq);
    this.map.set(cmd.op.key, cmd.op.value);
    return cmd;
  }

  /** Canonical form of the state (without the applied index). */
  hash(): string {
    const kv = [...this.map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const seqs = [...this.lastSeq.entries()].sort(([a], [b]) => a - b);
    return JSON.stringify([kv, seqs]);
  }

  serialize(): string {
    return JSON.stringify({ applied: this.applied, map: [...this.map.entries()], lastSeq: [...this.lastSeq.entries()] });
  }

  static restore(data: Uint8Array | string, index: number): Kv {
    const kv = new Kv();
    kv.applied = index;
    if (typeof data !== 'string' || data.length === 0) {
      if (index !== 0) throw new Error(`kv: empty snapshot at ${index}`);
      return kv;
    }
    const s = JSON.parse(data) as { applied: number; map: [string, string][]; lastSeq: [number, number][] };
    if (s.applied !== index) throw new Error(`kv: snapshot data at ${s.applied} labelled ${index}`);
    for (const [k, v] of s.map) kv.map.set(k, v);
    for (const [c, q] of s.lastSeq) kv.lastSeq.set(c, q);
    return kv;
  }
}
