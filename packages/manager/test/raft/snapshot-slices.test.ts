import { describe, expect, it } from 'vitest';
import { SnapshotEncoder } from '../../src/raft/snapshot-encoder.js';
import { snapshotSlices } from '../../src/raft/snapshot-slices.js';
import { decodeSnapshotData } from '../../src/raft/state-machine-data.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { StoreAction } from '../../src/store/types.js';
import { cluster } from '../store/fixtures.js';

/**
 * A snapshot of a big store is encoded a slice at a time (the leader's event loop must not stall
 * for a second at 100,000 tasks), from a view that later applies leave alone.
 */

const members = [{ raftId: 1, nodeId: 'n1', addr: '127.0.0.1:4242' }];

function storeWith(count: number): MemoryStore {
  const store = new MemoryStore();
  const creates: StoreAction[] = [];
  for (let i = 0; i < count; i++) creates.push({ kind: 'create', table: 'clusters', object: cluster(`c${i}`) });
  store.applyEntry({ index: 3, time: 0, transactions: [creates] });
  return store;
}

describe('snapshot slices', () => {
  it('encodes a big store in several slices that join to the JSON of the snapshot, which decodes to the same store', () => {
    const store = storeWith(500);
    const slices = [...snapshotSlices(store.snapshotSlices(10_000), members)];
    expect(slices.length).toBeGreaterThan(5);
    const data = slices.join('');
    expect(data).toBe(JSON.stringify({ store: store.snapshot(), members }));
    const copy = new MemoryStore();
    copy.restore(decodeSnapshotData(data).store);
    expect(copy.snapshot()).toEqual(store.snapshot());
    expect(decodeSnapshotData(data).members).toEqual(members);
  });

  it('encodes the state at the moment the source was taken, whatever is applied between slices', () => {
    const store = storeWith(200);
    const before = JSON.stringify({ store: store.snapshot(), members });
    const slices = snapshotSlices(store.snapshotSlices(2_000), members);
    const parts = [slices.next().value as string];
    store.applyEntry({ index: 4, time: 0, transactions: [[{ kind: 'remove', table: 'clusters', id: 'c150' }, { kind: 'create', table: 'clusters', object: cluster('late') }]] });
    for (const part of slices) parts.push(part);
    expect(parts.join('')).toBe(before);
    expect(store.view().get('clusters', 'late')).toBeDefined();
  });

  it('an empty store is one slice of the store', () => {
    const store = new MemoryStore();
    expect([...store.snapshotSlices(1_000)]).toEqual([JSON.stringify(store.snapshot())]);
    expect([...snapshotSlices(store.snapshotSlices(1_000), [])].join('')).toBe(JSON.stringify({ store: store.snapshot(), members: [] }));
  });
});

describe('SnapshotEncoder', () => {
  it('pauses between slices (other events run), then hands the snapshot over once', async () => {
    const store = storeWith(20_000);
    let pauses = 0;
    let done = 0;
    const encoder = new SnapshotEncoder({
      pause: () => {
        pauses++;
        return new Promise<void>((resolve) => setImmediate(resolve));
      },
      stopped: () => false,
      done: () => done++,
      failed: (error) => {
        throw error;
      },
    });
    const expected = JSON.stringify({ store: store.snapshot(), members });
    encoder.start(store.snapshotSlices(2 ** 20), { index: 3, conf: { voters: [1], learners: [] }, bytes: 0 }, members);
    expect(encoder.busy).toBe(true);
    expect(() => encoder.start(store.snapshotSlices(2 ** 20), { index: 3, conf: { voters: [1], learners: [] }, bytes: 0 }, members)).toThrow(/already/);
    while (done === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(pauses).toBeGreaterThan(1);
    const snap = encoder.take()!;
    expect(snap.index).toBe(3);
    expect(snap.data).toBe(expected);
    expect(encoder.take()).toBeUndefined();
    expect(encoder.busy).toBe(false);
  });

  it('drops an encoding when the host stops', async () => {
    const store = storeWith(20_000);
    let stopped = false;
    let done = 0;
    const encoder = new SnapshotEncoder({ pause: () => new Promise<void>((resolve) => setImmediate(resolve)), stopped: () => stopped, done: () => done++, failed: () => {} });
    encoder.start(store.snapshotSlices(2 ** 20), { index: 3, conf: { voters: [1], learners: [] }, bytes: 0 }, members);
    stopped = true;
    while (encoder.busy) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(done).toBe(0);
    expect(encoder.take()).toBeUndefined();
  });
});
