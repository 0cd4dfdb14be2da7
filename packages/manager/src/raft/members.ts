import type { NodeId } from '@shoal/raft';

/** A manager in the Raft group: its Raft ID, its node ID in the store, and where peers reach it. */
export interface Member {
  raftId: NodeId;
  nodeId: string;
  addr: string;
}

/** What a conf change carries in its context: who the Raft ID is. */
export const encodeMemberContext = (m: Member): string => JSON.stringify({ nodeId: m.nodeId, addr: m.addr });

export function decodeMemberContext(raftId: NodeId, context: string): Member {
  const parsed = JSON.parse(context || '{}') as Partial<Member>;
  return { raftId, nodeId: parsed.nodeId ?? '', addr: parsed.addr ?? '' };
}
