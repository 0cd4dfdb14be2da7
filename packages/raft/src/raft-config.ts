import type { Rng } from '@shoal/common';
import type { Storage } from './storage.js';
import type { NodeId } from './types.js';

/** What a Raft node (raft.ts) is built with. */
export interface RaftConfig {
  id: NodeId;
  /**
   * The voters of a new cluster, including this node. Empty for a node joining an existing
   * cluster: it never campaigns and gets its configuration from the leader's snapshot. Ignored
   * when the storage holds a snapshot (its configuration wins; the driver replays later changes).
   */
  peers: readonly NodeId[];
  /** The learners of a new cluster. */
  learners?: readonly NodeId[];
  /** Unacknowledged MsgApp per follower in `replicate` state (default 256). */
  maxInflightMsgs?: number;
  /** Bytes of entry data per MsgApp (default 1 MiB); a larger entry still goes alone. */
  maxSizePerMsg?: number;
  storage: Storage;
  rng: Rng;
  /** Base election timeout in ticks; followers wait a random time in [election, 2 * election). */
  electionTicks?: number;
  heartbeatTicks?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
}
