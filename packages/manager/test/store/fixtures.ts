import { manualClock, seededRng, type Cluster } from '@shoal/common';
import { MemoryLogStorage } from '../../src/disk/memory-log-storage.js';
import { DurableRaftStorage } from '../../src/raft/durable-storage.js';
import { RaftHost, type RaftHostOptions } from '../../src/raft/raft-host.js';
import { RaftProposer } from '../../src/raft/raft-proposer.js';
import { encodeSnapshotData } from '../../src/raft/state-machine-data.js';
import { MemoryStore, type Unversioned } from '../../src/store/index.js';

export function cluster(id: string, name = id, heartbeatPeriodMs = 1000): Unversioned<Cluster> {
  return { id, spec: { annotations: { name, labels: {} }, taskHistoryRetentionLimit: 5, heartbeatPeriodMs, nodeCertLifetimeMs: 90 * 24 * 3600 * 1000 } };
}

/**
 * A MemoryStore replicated by a one-manager Raft group, as `swarm init` makes it: the production
 * host and proposer over in-memory storage, with a manual clock and no timers (one voter commits
 * without ticks; `storage.writes` counts fsync'ed batches).
 */
export async function memoryBackedStore(tuning: Pick<RaftHostOptions, 'snapshotInterval' | 'snapshotIntervalBytes' | 'keepTail' | 'keepTailBytes'> = {}) {
  const clock = manualClock(Date.UTC(2024, 0, 1));
  const storage = new MemoryLogStorage();
  const store = new MemoryStore();
  const raftStorage = await DurableRaftStorage.open(storage);
  await raftStorage.setRaftId(1);
  const members = [{ raftId: 1, nodeId: 'n1', addr: '' }];
  await raftStorage.bootstrap({ index: 1, term: 1, voters: [1], learners: [], data: encodeSnapshotData({ store: store.snapshot(), members }) });
  const noTimers = () => () => {};
  const host = new RaftHost({
    raftId: 1,
    storage: raftStorage,
    machine: store,
    transport: { send() {}, setMembers() {}, lastHeard: () => undefined },
    clock,
    rng: seededRng(1),
    // No ticks; only the pauses of a snapshot's encoding (no delay) run, after other events.
    schedule: (delayMs: number, fn: () => void) => {
      if (delayMs === 0) setImmediate(fn);
      return () => {};
    },
    onFatal: (error) => {
      throw error;
    },
    log() {},
    ...tuning,
  });
  const proposer = new RaftProposer({ host, clock, rng: seededRng(2), defer: (fn) => setImmediate(fn), schedule: noTimers, reachability: () => ({ reachable: 1, total: 1 }) });
  store.setProposer(proposer);
  const leading = new Promise<void>((resolve) => host.on({ leadership: (leader) => leader && resolve() }));
  host.start();
  host.campaign();
  await leading;
  /** Versions are log indexes: the first write lands after the bootstrap and the leader's empty entry. */
  const firstIndex = host.status().lastIndex + 1;
  return { store, proposer, storage, raftStorage, clock, firstIndex };
}
