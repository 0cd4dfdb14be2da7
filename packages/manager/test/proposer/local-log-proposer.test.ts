import { ERROR_CODES, manualClock } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { entryKey, LocalLogProposer, MemoryLogStorage, type StorageOp } from '../../src/proposer/index.js';
import { MemoryStore, type LogEntry } from '../../src/store/index.js';
import { cluster } from '../store/fixtures.js';

const defer = (fn: () => void) => setImmediate(fn);

async function open(storage = new MemoryLogStorage(), options: { maxInFlight?: number; maxTransactionsPerEntry?: number } = {}) {
  const store = new MemoryStore();
  const proposer = await LocalLogProposer.open({ storage, machine: store, clock: manualClock(1000), defer, ...options });
  store.setProposer(proposer);
  return { store, proposer, storage };
}

/** Storage whose writes finish only when the test says so. */
class GatedStorage extends MemoryLogStorage {
  readonly gates: Array<{ ops: StorageOp[]; release(): void; fail(e: Error): void }> = [];
  override write(ops: StorageOp[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.gates.push({ ops, release: () => void super.write(ops).then(resolve), fail: reject });
    });
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LocalLogProposer', () => {
  it('batches the transactions of one tick into one entry', async () => {
    const { store, storage } = await open();
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.update((tx) => tx.create('clusters', cluster(`c${i}`)))));
    expect(storage.writes).toBe(1);
    const entry = JSON.parse(storage.data.get(entryKey(1))!.slice(9)) as LogEntry;
    expect(entry).toMatchObject({ index: 1, time: 1000 });
    expect(entry.transactions).toHaveLength(100);
  });

  it('caps the transactions per entry', async () => {
    const { store, storage } = await open(undefined, { maxTransactionsPerEntry: 30 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.update((tx) => tx.create('clusters', cluster(`c${i}`)))));
    expect(storage.writes).toBe(4);
  });

  it('pipelines writes but applies entries in index order', async () => {
    const storage = new GatedStorage();
    const { store } = await open(storage);
    const applied: number[] = [];
    store.watch((events) => applied.push(events[0]!.object.meta.version));
    const first = store.update((tx) => tx.create('clusters', cluster('a')));
    await tick();
    const second = store.update((tx) => tx.create('clusters', cluster('b')));
    await tick();
    expect(storage.gates).toHaveLength(2);
    storage.gates[1]!.release();
    await tick();
    expect(applied).toEqual([]);
    storage.gates[0]!.release();
    await Promise.all([first, second]);
    expect(applied).toEqual([1, 2]);
  });

  it('stops and rejects every waiting proposal when a write fails', async () => {
    const storage = new GatedStorage();
    const { store, proposer } = await open(storage);
    const first = store.update((tx) => tx.create('clusters', cluster('a')));
    await tick();
    storage.gates[0]!.fail(new Error('disk full'));
    await expect(first).rejects.toMatchObject({ code: ERROR_CODES.UNAVAILABLE, message: /disk full/ });
    await expect(store.update((tx) => tx.create('clusters', cluster('b')))).rejects.toMatchObject({ code: ERROR_CODES.UNAVAILABLE });
    expect(store.view().list('clusters')).toEqual([]);
    await proposer.close();
  });

  it('close() writes what was already proposed, then refuses more', async () => {
    const { store, proposer, storage } = await open();
    const pending = store.update((tx) => tx.create('clusters', cluster('a')));
    await proposer.close();
    await expect(pending).resolves.toBeUndefined();
    expect(storage.data.has(entryKey(1))).toBe(true);
    await expect(store.update((tx) => tx.create('clusters', cluster('b')))).rejects.toMatchObject({ code: ERROR_CODES.UNAVAILABLE });
  });

  it('replays entries on open and drops entries after a gap', async () => {
    const { store, storage } = await open();
    for (const id of ['a', 'b', 'c']) await store.update((tx) => tx.create('clusters', cluster(id)));
    storage.data.delete(entryKey(2));
    const reopened = await open(storage);
    expect(reopened.store.view().list('clusters').map((c) => c.id)).toEqual(['a']);
    expect(storage.data.has(entryKey(3))).toBe(false);
    await reopened.store.update((tx) => tx.create('clusters', cluster('d')));
    expect(reopened.store.view().get('clusters', 'd')!.meta.version).toBe(2);
  });
});
