import { ERROR_CODES, isShoalError, type Cluster } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../src/store/index.js';
import { cluster, memoryBackedStore } from './fixtures.js';

describe('MemoryStore', () => {
  it('creates, updates and removes objects, versioned by log index', async () => {
    const { store, clock, firstIndex: v } = await memoryBackedStore();
    await store.update((tx) => tx.create('clusters', cluster('c1')));
    const created = store.view().get('clusters', 'c1')!;
    expect(created.meta).toEqual({ version: v, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z' });

    clock.advance(5000);
    await store.update((tx) => tx.update('clusters', { ...created, spec: { ...created.spec, heartbeatPeriodMs: 5 } }));
    const updated = store.view().get('clusters', 'c1')!;
    expect(updated.spec.heartbeatPeriodMs).toBe(5);
    expect(updated.meta).toEqual({ version: v + 1, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:05.000Z' });

    await store.update((tx) => tx.remove('clusters', 'c1'));
    expect(store.view().get('clusters', 'c1')).toBeUndefined();
    expect(store.lastIndex).toBe(v + 2);
  });

  it('hands out one view per applied state: an earlier view keeps its state after a write', async () => {
    const { store } = await memoryBackedStore();
    await store.update((tx) => tx.create('clusters', cluster('c1')));
    const before = store.view();
    expect(store.view()).toBe(before);
    await store.update((tx) => tx.create('clusters', cluster('c2')));
    const after = store.view();
    expect(after).not.toBe(before);
    expect(before.list('clusters').map((c) => c.id)).toEqual(['c1']);
    expect(after.list('clusters').map((c) => c.id).sort()).toEqual(['c1', 'c2']);
  });

  it('resolves with the callback result and skips proposing an empty transaction', async () => {
    const { store, storage } = await memoryBackedStore();
    const writes = storage.writes;
    await expect(store.update((tx) => tx.list('clusters').length)).resolves.toBe(0);
    expect(storage.writes).toBe(writes);
    await expect(store.update(() => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
  });

  it('lets a transaction read its own writes', async () => {
    const { store } = await memoryBackedStore();
    await store.update((tx) => tx.create('clusters', cluster('keep')));
    const seen = await store.update((tx) => {
      tx.create('clusters', cluster('a'));
      const a = tx.get('clusters', 'a')!;
      tx.update('clusters', { ...a, spec: { ...a.spec, heartbeatPeriodMs: 7 } });
      tx.remove('clusters', 'keep');
      return { a: tx.get('clusters', 'a')?.spec.heartbeatPeriodMs, keep: tx.get('clusters', 'keep'), ids: tx.list('clusters').map((c) => c.id) };
    });
    expect(seen).toEqual({ a: 7, keep: undefined, ids: ['a'] });
    expect(store.view().list('clusters').map((c) => [c.id, c.spec.heartbeatPeriodMs])).toEqual([['a', 7]]);
  });

  it('folds several writes to one object into one action', async () => {
    const { store, storage, firstIndex: v } = await memoryBackedStore();
    const writes = storage.writes;
    await store.update((tx) => {
      tx.create('clusters', cluster('gone'));
      tx.remove('clusters', 'gone');
    });
    expect(storage.writes).toBe(writes);
    await store.update((tx) => tx.create('clusters', cluster('x')));
    await store.update((tx) => {
      const x = tx.get('clusters', 'x')!;
      tx.update('clusters', { ...x, spec: { ...x.spec, heartbeatPeriodMs: 1 } });
      tx.update('clusters', { ...tx.get('clusters', 'x')!, spec: { ...x.spec, heartbeatPeriodMs: 2 } });
    });
    expect(store.view().get('clusters', 'x')).toMatchObject({ meta: { version: v + 1 }, spec: { heartbeatPeriodMs: 2 } });
  });

  it('refuses to create an existing object or to touch a missing one inside the transaction', async () => {
    const { store } = await memoryBackedStore();
    await store.update((tx) => tx.create('clusters', cluster('c')));
    await expect(store.update((tx) => tx.create('clusters', cluster('c')))).rejects.toMatchObject({ code: ERROR_CODES.ALREADY_EXISTS });
    await expect(store.update((tx) => tx.remove('clusters', 'nope'))).rejects.toMatchObject({ code: ERROR_CODES.NOT_FOUND });
  });

  it('lets exactly one of two concurrent updates from the same version win', async () => {
    const { store, firstIndex: v } = await memoryBackedStore();
    await store.update((tx) => tx.create('clusters', cluster('c')));
    const read = store.view().get('clusters', 'c')!;
    const write = (hb: number) => store.update((tx) => tx.update('clusters', { ...read, spec: { ...read.spec, heartbeatPeriodMs: hb } }));
    const outcomes = await Promise.allSettled([write(10), write(20)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    const error = (outcomes[1] as PromiseRejectedResult).reason;
    expect(isShoalError(error) && error.code).toBe(ERROR_CODES.CONFLICT);
    expect(error.message).toBe(`cluster c changed since it was read (expected version ${v}, found ${v + 1})`);
    expect(store.view().get('clusters', 'c')!.spec.heartbeatPeriodMs).toBe(10);
  });

  it('rejects a stale update made after another write landed', async () => {
    const { store } = await memoryBackedStore();
    await store.update((tx) => tx.create('clusters', cluster('c')));
    const stale = store.view().get('clusters', 'c')!;
    await store.update((tx) => tx.update('clusters', { ...stale }));
    await expect(store.update((tx) => tx.update('clusters', { ...stale }))).rejects.toMatchObject({ code: ERROR_CODES.CONFLICT });
    await expect(store.update((tx) => tx.remove('clusters', 'c'))).resolves.toBeUndefined();
  });

  it('gives views that do not change and objects that cannot be mutated', async () => {
    const { store } = await memoryBackedStore();
    await store.update((tx) => tx.create('clusters', cluster('c')));
    const before = store.view();
    await store.update((tx) => tx.create('clusters', cluster('d')));
    expect(before.list('clusters').map((c) => c.id)).toEqual(['c']);
    expect(store.view().list('clusters')).toHaveLength(2);
    const c = before.get('clusters', 'c') as Cluster;
    expect(() => {
      (c.spec.annotations.labels as Record<string, string>).x = 'y';
    }).toThrow(TypeError);
  });

  it('tells watchers every applied entry, in order, one call per entry', async () => {
    const { store, firstIndex: v } = await memoryBackedStore();
    const seen: WatchEvent[][] = [];
    const stop = store.watch((events) => seen.push(events));
    await store.update((tx) => {
      tx.create('clusters', cluster('a'));
      tx.create('clusters', cluster('b'));
    });
    const a = store.view().get('clusters', 'a')!;
    await store.update((tx) => tx.update('clusters', { ...a, spec: { ...a.spec, heartbeatPeriodMs: 3 } }));
    await store.update((tx) => tx.remove('clusters', 'b'));
    stop();
    await store.update((tx) => tx.create('clusters', cluster('unseen')));
    expect(seen.map((events) => events.map((e) => `${e.kind}:${e.object.id}:${e.object.meta.version}`))).toEqual([
      [`create:a:${v}`, `create:b:${v}`],
      [`update:a:${v + 1}`],
      [`remove:b:${v}`],
    ]);
    const update = seen[1]![0]!;
    expect(update.kind === 'update' && update.old.meta.version).toBe(v);
  });

  it('batches concurrent transactions into one entry and reports each outcome', async () => {
    const { store, firstIndex } = await memoryBackedStore();
    const writes = Array.from({ length: 100 }, (_, i) => store.update((tx) => tx.create('clusters', cluster(`c${i}`))));
    await Promise.all(writes);
    expect(store.lastIndex).toBe(firstIndex);
    expect(store.view().list('clusters')).toHaveLength(100);
  });
});
