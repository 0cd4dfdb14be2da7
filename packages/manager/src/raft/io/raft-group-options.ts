import type * as grpc from '@grpc/grpc-js';
import type { Clock, Rng } from '@shoal/common';
import type { LogStorage } from '../../disk/log-storage.js';
import type { RaftLimits } from '../limits.js';
import type { RaftTiming } from '../raft-host.js';

// What a RaftGroup (raft-group.ts) is given: where it keeps its log, who it is, its tuning and callbacks.

export interface RaftGroupTuning {
  timing?: RaftTiming;
  snapshotInterval?: number;
  snapshotIntervalBytes?: number;
  keepTail?: number;
  keepTailBytes?: number;
  /** `swarm init --force-new-cluster`: keep the state, drop every other member. */
  forceNewCluster?: boolean;
  /** Bounds on messages, queues and waiters (defaults in limits.ts). */
  limits?: Partial<RaftLimits>;
  /** Wait between attempts to write the Raft log while the disk is full (default 2 s). */
  diskRetryMs?: number;
}

export interface RaftGroupOptions {
  path: string;
  self: { nodeId: string; addr: string };
  clock: Clock;
  rng: Rng;
  credentials: () => grpc.ChannelCredentials;
  tuning: RaftGroupTuning;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  trace?: (msg: string, fields?: Record<string, unknown>) => void;
  onLeadership: (leader: boolean) => void;
  onRemoved: () => void;
  onFatal: (error: unknown) => void;
  /** Opens the key-value store under the Raft log (default: LevelDB at `path`); tests inject faults here. */
  openLog?: (path: string) => Promise<LogStorage>;
}
