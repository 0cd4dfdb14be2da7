import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Task } from '@shoal/common';
import { INDEXES, indexKeyFn, keyList } from '../../src/store/indexes.js';
import { MemoryStore, type LogEntry, type ReadTx, type StoreAction, type TableName } from '../../src/store/index.js';
import { BufferedWriteTx } from '../../src/store/write-tx.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';

const taskIds = fc.constantFrom('t1', 't2', 't3', 't4', 't5');
const taskBody = fc.record({
  id: taskIds,
  serviceId: fc.constantFrom('s1', 's2', 's3'),
  nodeId: fc.constantFrom('', 'n1', 'n2'),
  state: fc.constantFrom('pending' as const, 'assigned' as const, 'running' as const, 'failed' as const),
  desiredState: fc.constantFrom('running' as const, 'shutdown' as const),
  /** Overlay addresses: the `address` and `network` indexes file a task under several keys. */
  nets: fc.subarray(['na', 'nb']),
  host: fc.integer({ min: 2, max: 4 }),
});

/** A task with an address on each of `nets` (the same host part on each: keys differ by network). */
function taskOf(b: { id: string; nets?: string[]; host?: number } & Parameters<typeof makeTask>[1]): Task {
  const task = makeTask(b.id, b);
  if (!b.nets || b.nets.length === 0) return task;
  const allocation = { subnet: '10.0.0.0/24', gateway: '10.0.0.1', vxlanId: 1 };
  return { ...task, networks: b.nets.map((networkId) => ({ networkId, name: networkId, address: `10.0.0.${b.host}/24`, aliases: [], allocation, internal: false, attachable: false, driverOpts: {} })) };
}
const serviceBody = fc.record({ id: fc.constantFrom('s1', 's2', 's3'), name: fc.constantFrom('web', 'db', 'api'), global: fc.boolean() });

const taskAction: fc.Arbitrary<StoreAction> = fc.oneof(
  taskBody.map((b) => ({ kind: 'create' as const, table: 'tasks' as const, object: taskOf(b) })),
  taskBody.map((b) => ({ kind: 'update' as const, table: 'tasks' as const, object: taskOf(b), expectedVersion: -1 })),
  taskIds.map((id) => ({ kind: 'remove' as const, table: 'tasks' as const, id })),
);
const serviceAction: fc.Arbitrary<StoreAction> = fc.oneof(
  serviceBody.map((b) => {
    const s = makeService(b.id, { global: b.global });
    return { kind: 'create' as const, table: 'services' as const, object: { ...s, spec: { ...s.spec, annotations: { name: b.name, labels: {} } } } };
  }),
  fc.constantFrom('s1', 's2', 's3').map((id) => ({ kind: 'remove' as const, table: 'services' as const, id })),
);
const nodeAction: fc.Arbitrary<StoreAction> = fc
  .record({ id: fc.constantFrom('n1', 'n2'), host: fc.constantFrom('h1', 'h2') })
  .map(({ id, host }) => ({ kind: 'create' as const, table: 'nodes' as const, object: makeNode(id, { hostname: host }) }));

const entries: fc.Arbitrary<LogEntry[]> = fc
  .array(fc.array(fc.array(fc.oneof(taskAction, taskAction, serviceAction, nodeAction), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), {
    minLength: 1,
    maxLength: 12,
  })
  .map((txs) => txs.map((transactions, i) => ({ index: i + 1, time: 1_700_000_000_000 + i, transactions })));

/** Updates here carry no expectation (expectedVersion -1 is replaced by "whatever is there"). */
function unversioned(log: LogEntry[]): LogEntry[] {
  return log.map((e) => ({
    ...e,
    transactions: e.transactions.map((tx) => tx.map((a) => (a.kind === 'update' ? { kind: 'update', table: a.table, object: a.object } as unknown as StoreAction : a))),
  }));
}

const sortedIds = (objects: { id: string }[]) => objects.map((o) => o.id).sort();

/** Every index of every table answers what a scan answers. */
function expectIndexesMatchScan(view: ReadTx): void {
  for (const table of Object.keys(INDEXES) as TableName[]) {
    for (const index of Object.keys(INDEXES[table]) as never[]) {
      const keyOf = indexKeyFn(table, index);
      const scanKeys = new Set(view.list(table).flatMap((o) => keyList(keyOf(o))));
      expect(new Set(view.indexKeys(table, index))).toEqual(scanKeys);
      for (const key of [...scanKeys, 'absent']) {
        const scan = view.find(table, (o) => keyList(keyOf(o)).includes(key));
        expect(sortedIds(view.byIndex(table, index, key))).toEqual(sortedIds(scan));
        expect(view.count(table, index, key)).toBe(scan.length);
      }
    }
  }
}

describe('store indexes', () => {
  it('always equal a scan, after any writes and after snapshot/restore', () => {
    fc.assert(
      fc.property(entries, (raw) => {
        const log = unversioned(raw);
        const store = new MemoryStore();
        const views: [ReadTx, ReturnType<MemoryStore['snapshot']>][] = [];
        for (const entry of log) {
          store.applyEntry(entry);
          expectIndexesMatchScan(store.view());
          views.push([store.view(), structuredClone(store.snapshot())]);
        }
        // A view handed out earlier never changes, whatever was written after it.
        for (const [view, snap] of views) expect(sortedIds(view.list('tasks'))).toEqual(sortedIds(snap.tables.tasks));
        const restored = new MemoryStore();
        restored.restore(structuredClone(store.snapshot()));
        expectIndexesMatchScan(restored.view());
        expect(restored.snapshot()).toEqual(store.snapshot());
      }),
    );
  });

  it('are seen through a write transaction, with its own writes', () => {
    fc.assert(
      fc.property(entries, fc.array(fc.oneof(taskBody.map((b) => ({ b, remove: false })), taskIds.map((id) => ({ b: { id }, remove: true }))), { maxLength: 6 }), (raw, writes) => {
        const store = new MemoryStore();
        for (const entry of unversioned(raw)) store.applyEntry(entry);
        const tx = new BufferedWriteTx(store.view());
        for (const { b, remove } of writes) {
          const exists = tx.get('tasks', b.id) !== undefined;
          if (remove) {
            if (exists) tx.remove('tasks', b.id);
          } else if (exists) tx.update('tasks', { ...taskOf(b as Parameters<typeof taskOf>[0]), meta: tx.get('tasks', b.id)!.meta });
          else tx.create('tasks', taskOf(b as Parameters<typeof taskOf>[0]));
        }
        expectIndexesMatchScan(tx);
      }),
    );
  });
});
