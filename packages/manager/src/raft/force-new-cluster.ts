import { failedPrecondition } from '@shoal/common';
import { decodeConfChange } from '@shoal/raft';
import { MemoryStore } from '../store/memory-store.js';
import type { DurableRaftStorage } from './durable-storage.js';
import { decodeMemberContext, type Member } from './members.js';
import { decodeProposal, decodeSnapshotData, encodeSnapshotData } from './state-machine-data.js';

/**
 * `swarm init --force-new-cluster` on a manager that lost its quorum: rebuild the committed state
 * from the log, and make it the snapshot of a group whose only voter is this manager. Entries that
 * were never committed are dropped (nothing acknowledged is lost: acknowledged means committed).
 */
export async function recoverForNewCluster(storage: DurableRaftStorage, self: { nodeId: string; addr: string }): Promise<void> {
  const raftId = storage.raftId;
  if (raftId === undefined || storage.isEmpty()) throw failedPrecondition('this node has no swarm state to recover');
  const snap = storage.snapshot();
  const store = new MemoryStore();
  const members = new Map<number, Member>();
  if (snap.index > 0) {
    const data = decodeSnapshotData(snap.data);
    store.restore(data.store);
    for (const m of data.members) members.set(m.raftId, m);
  }
  const hs = storage.initialState();
  for (const e of snap.index < hs.commit ? storage.entries(snap.index + 1, hs.commit + 1) : []) {
    if (e.type === 'conf') {
      const cc = decodeConfChange(e.data);
      if (cc.type === 'remove') members.delete(cc.node);
      else if (cc.context) members.set(cc.node, decodeMemberContext(cc.node, cc.context));
    } else if (typeof e.data === 'string' && e.data !== '') {
      const p = decodeProposal(e.data);
      store.applyEntry({ index: e.index, time: p.t, transactions: p.x });
    }
  }
  const index = Math.max(hs.commit, snap.index);
  const term = storage.term(index) ?? snap.term;
  const data = encodeSnapshotData({ store: store.snapshot(), members: [{ raftId, ...self }] });
  await storage.replaceWith({ index, term, voters: [raftId], learners: [], data }, { term: hs.term, vote: 0, commit: index });
}
