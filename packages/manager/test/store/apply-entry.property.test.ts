import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryStore, type LogEntry, type StoreAction } from '../../src/store/index.js';
import { cluster } from './fixtures.js';

const ids = fc.constantFrom('a', 'b', 'c');
const version = fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined });

const action: fc.Arbitrary<StoreAction> = fc.oneof(
  fc.record({ id: ids, hb: fc.integer({ min: 1, max: 9 }) }).map(({ id, hb }) => ({ kind: 'create' as const, table: 'clusters' as const, object: cluster(id, id, hb) })),
  fc.record({ id: ids, hb: fc.integer({ min: 1, max: 9 }), v: fc.integer({ min: 0, max: 8 }) }).map(({ id, hb, v }) => ({
    kind: 'update' as const,
    table: 'clusters' as const,
    object: cluster(id, id, hb),
    expectedVersion: v,
  })),
  fc.record({ id: ids, v: version }).map(({ id, v }) => ({ kind: 'remove' as const, table: 'clusters' as const, id, expectedVersion: v })),
);

const entries: fc.Arbitrary<LogEntry[]> = fc
  .array(fc.array(fc.array(action, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 })
  .map((txs) => txs.map((transactions, i) => ({ index: i + 1, time: 1_700_000_000_000 + i * 1000, transactions })));

/** Independent model of the rules: object id → version, or absent. */
function expectedResults(log: LogEntry[]): boolean[][] {
  const versions = new Map<string, number>();
  return log.map((entry) =>
    entry.transactions.map((actions) => {
      const staged = new Map(versions);
      for (const a of actions) {
        const id = a.kind === 'remove' ? a.id : a.object.id;
        const current = staged.get(id);
        if (a.kind === 'create' ? current !== undefined : current === undefined) return false;
        if (a.kind !== 'create' && a.expectedVersion !== undefined && a.expectedVersion !== current) return false;
        if (a.kind === 'remove') staged.delete(id);
        else staged.set(id, entry.index);
      }
      versions.clear();
      for (const [id, v] of staged) versions.set(id, v);
      return true;
    }),
  );
}

const applyAll = (store: MemoryStore, log: LogEntry[]) => log.map((entry) => store.applyEntry(structuredClone(entry)).map((r) => r.ok));

describe('applyEntry', () => {
  it('is deterministic: the same entries give the same results and state', () => {
    fc.assert(
      fc.property(entries, (log) => {
        const a = new MemoryStore();
        const b = new MemoryStore();
        expect(applyAll(a, log)).toEqual(applyAll(b, log));
        expect(a.snapshot()).toEqual(b.snapshot());
      }),
    );
  });

  it('applies a transaction all or nothing, by the version each action expected', () => {
    fc.assert(
      fc.property(entries, (log) => {
        expect(applyAll(new MemoryStore(), log)).toEqual(expectedResults(log));
      }),
    );
  });

  it('reaches the same state from a snapshot plus the later entries', () => {
    fc.assert(
      fc.property(entries, fc.nat(), (log, cut) => {
        const full = new MemoryStore();
        applyAll(full, log);
        const at = cut % (log.length + 1);
        const head = new MemoryStore();
        applyAll(head, log.slice(0, at));
        const restored = new MemoryStore();
        restored.restore(structuredClone(head.snapshot()));
        applyAll(restored, log.slice(at));
        expect(restored.snapshot()).toEqual(full.snapshot());
      }),
    );
  });

  it('stamps version and times from the entry and keeps createdAt on update', () => {
    const store = new MemoryStore();
    store.applyEntry({ index: 4, time: 0, transactions: [[{ kind: 'create', table: 'clusters', object: cluster('x') }]] });
    store.applyEntry({ index: 9, time: 60_000, transactions: [[{ kind: 'update', table: 'clusters', object: cluster('x'), expectedVersion: 4 }]] });
    expect(store.view().get('clusters', 'x')!.meta).toEqual({ version: 9, createdAt: '1970-01-01T00:00:00.000Z', updatedAt: '1970-01-01T00:01:00.000Z' });
    expect(() => store.applyEntry({ index: 9, time: 0, transactions: [] })).toThrow(/assertion failed/);
  });
});
