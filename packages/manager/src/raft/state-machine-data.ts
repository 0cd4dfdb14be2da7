import type { StoreAction, StoreSnapshot } from '../store/types.js';
import type { Member } from './members.js';

/** The data of a normal entry the proposer appends: several transactions of concurrent writers. */
export interface ProposalData {
  /** Unique per proposal: the proposer resolves its callers when this entry is applied. */
  p: string;
  /** The proposer's clock when it made the entry: the apply never reads a clock. */
  t: number;
  x: StoreAction[][];
}

export const encodeProposal = (d: ProposalData): string => JSON.stringify(d);

export function decodeProposal(data: string): ProposalData {
  const d = JSON.parse(data) as ProposalData;
  if (typeof d?.p !== 'string' || !Array.isArray(d.x)) throw new Error('malformed proposal entry');
  return d;
}

/** A Raft snapshot's data: the store's tables and the Raft group's members. */
export interface SnapshotData {
  store: StoreSnapshot;
  members: Member[];
}

export const encodeSnapshotData = (d: SnapshotData): string => JSON.stringify(d);

export function decodeSnapshotData(data: string | Uint8Array): SnapshotData {
  const d = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data)) as SnapshotData;
  if (typeof d?.store !== 'object' || !Array.isArray(d.members)) throw new Error('malformed snapshot data');
  return d;
}

/** Names of the objects a proposal creates, for traces. */
export function namesIn(transactions: ProposalData['x']): string[] {
  const names: string[] = [];
  for (const tx of transactions) {
    for (const a of tx) {
      const name = a.kind === 'create' ? (a.object as { spec?: { annotations?: { name?: string } } }).spec?.annotations?.name : undefined;
      if (name) names.push(name);
    }
  }
  return names;
}
