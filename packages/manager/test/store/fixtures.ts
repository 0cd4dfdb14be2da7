import { manualClock, type Cluster } from '@shoal/common';
import { LocalLogProposer } from '../../src/proposer/index.js';
import { MemoryLogStorage } from '../../src/proposer/memory-log-storage.js';
import { MemoryStore, type Unversioned } from '../../src/store/index.js';

export function cluster(id: string, name = id, heartbeatPeriodMs = 1000): Unversioned<Cluster> {
  return { id, spec: { annotations: { name, labels: {} }, taskHistoryRetentionLimit: 5, heartbeatPeriodMs, nodeCertLifetimeMs: 90 * 24 * 3600 * 1000 } };
}

/** A MemoryStore over a LocalLogProposer on in-memory storage, with a manual clock. */
export async function memoryBackedStore(options: { snapshotInterval?: number } = {}) {
  const clock = manualClock(Date.UTC(2024, 0, 1));
  const storage = new MemoryLogStorage();
  const store = new MemoryStore();
  const proposer = await LocalLogProposer.open({ storage, machine: store, clock, defer: (fn) => setImmediate(fn), ...options });
  store.setProposer(proposer);
  return { store, proposer, storage, clock };
}
