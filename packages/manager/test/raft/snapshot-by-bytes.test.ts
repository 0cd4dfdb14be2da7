import { describe, expect, it } from 'vitest';
import { cluster, memoryBackedStore } from '../store/fixtures.js';

/**
 * The log a manager keeps in memory is bounded in bytes, not only in entries: a few hundred
 * entries of 2,000 task writes each would otherwise hold gigabytes until the 10,000th entry.
 */

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('snapshots by bytes', () => {
  it('snapshots once the entries applied since the last one exceed snapshotIntervalBytes, and keeps a tail within keepTailBytes', async () => {
    const { store, raftStorage } = await memoryBackedStore({ snapshotInterval: 10_000, keepTail: 500, snapshotIntervalBytes: 20_000, keepTailBytes: 5_000 });
    const label = 'x'.repeat(2_000);
    for (let i = 0; i < 30; i++) {
      const c = cluster(`c${i}`);
      await store.update((tx) => tx.create('clusters', { ...c, spec: { ...c.spec, annotations: { name: c.id, labels: { big: label } } } }));
    }
    for (let i = 0; i < 10; i++) await settle();
    // 30 entries of over 2 KB each: far below 10,000 entries, but past 20 KB.
    const snapshotIndex = raftStorage.snapshot().index;
    expect(snapshotIndex).toBeGreaterThan(1);
    const tail = raftStorage.entries(raftStorage.firstIndex(), snapshotIndex + 1);
    expect(tail.reduce((n, e) => n + e.data.length, 0)).toBeLessThanOrEqual(5_000);
    expect(store.view().list('clusters')).toHaveLength(30);
  });
});
