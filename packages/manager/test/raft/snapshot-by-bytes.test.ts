import { manualClock, seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { MemoryLogStorage } from '../../src/disk/memory-log-storage.js';
import { DurableRaftStorage } from '../../src/raft/durable-storage.js';
import { RaftHost } from '../../src/raft/raft-host.js';
import { RaftProposer } from '../../src/raft/raft-proposer.js';
import { encodeSnapshotData } from '../../src/raft/state-machine-data.js';
import { MemoryStore } from '../../src/store/index.js';
import { cluster } from '../store/fixtures.js';

/**
 * The log a manager keeps in memory is bounded in bytes, not only in entries: a few hundred
 * entries of 2,000 task writes each would otherwise hold gigabytes until the 10,000th entry.
 */

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function loneLeader(tuning: { snapshotIntervalBytes: number; keepTailBytes: number }) {
  const clock = manualClock(Date.UTC(2024, 0, 1));
  const store = new MemoryStore();
  const storage = await DurableRaftStorage.open(new MemoryLogStorage());
  await storage.setRaftId(1);
  const members = [{ raftId: 1, nodeId: 'n1', addr: '' }];
  await storage.bootstrap({ index: 1, term: 1, voters: [1], learners: [], data: encodeSnapshotData({ store: store.snapshot(), members }) });
  const noTimers = () => () => {};
  const host = new RaftHost({
    raftId: 1, storage, machine: store, clock, rng: seededRng(1), schedule: noTimers, log() {},
    transport: { send() {}, setMembers() {}, lastHeard: () => undefined },
    onFatal: (error) => {
      throw error;
    },
    snapshotInterval: 10_000,
    keepTail: 500,
    ...tuning,
  });
  const proposer = new RaftProposer({ host, clock, rng: seededRng(2), defer: (fn) => setImmediate(fn), schedule: noTimers, reachability: () => ({ reachable: 1, total: 1 }) });
  store.setProposer(proposer);
  host.start();
  host.campaign();
  for (let i = 0; i < 20 && !host.isLeader(); i++) await settle();
  expect(host.isLeader()).toBe(true);
  return { store, storage };
}

describe('snapshots by bytes', () => {
  it('snapshots once the entries applied since the last one exceed snapshotIntervalBytes, and keeps a tail within keepTailBytes', async () => {
    const { store, storage } = await loneLeader({ snapshotIntervalBytes: 20_000, keepTailBytes: 5_000 });
    const label = 'x'.repeat(2_000);
    for (let i = 0; i < 30; i++) {
      await store.update((tx) => tx.create('clusters', { ...cluster(`c${i}`), spec: { ...cluster(`c${i}`).spec, labels: { big: label } } }));
    }
    for (let i = 0; i < 10; i++) await settle();
    // 30 entries of over 2 KB each: far below 10,000 entries, but past 20 KB.
    expect(storage.snapshot().index).toBeGreaterThan(1);
    const kept = storage.entries(storage.firstIndex(), storage.lastIndex() + 1);
    const keptBytes = kept.filter((e) => e.index <= storage.snapshot().index).reduce((n, e) => n + e.data.length, 0);
    expect(keptBytes).toBeLessThanOrEqual(5_000);
    expect(store.view().list('clusters')).toHaveLength(30);
  });
});
