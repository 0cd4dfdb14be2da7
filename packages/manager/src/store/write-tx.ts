import { alreadyExists, assert, notFound, type Meta } from '@shoal/common';
import { deepFreeze, frozenCopy } from './deep-freeze.js';
import { indexKeyFn, keyList, type IndexName } from './indexes.js';
import type { ReadTx, StoreAction, TableName, Tables, Unversioned, WriteTx } from './types.js';

/** The meta an object created inside a transaction shows until the store applies it. */
const PENDING_META: Meta = Object.freeze({ version: 0, createdAt: '', updatedAt: '' });

type AnyObject = Tables[TableName];
const noun = (table: TableName) => table.replace(/s$/, '');

function withoutMeta(object: { id: string; meta?: unknown }): { id: string } {
  const { meta: _meta, ...body } = object;
  return frozenCopy(body);
}

/**
 * A write transaction over a read view. Writes are buffered as actions, at most one per object
 * (a later write to the same object folds into the earlier one), and reads see them.
 */
export class BufferedWriteTx implements WriteTx {
  /** table → id → the object as this transaction sees it, or null once removed here. */
  private readonly overlay = new Map<TableName, Map<string, AnyObject | null>>();
  private readonly actions: (StoreAction | null)[] = [];
  /** `table/id` → position in `actions` of the pending create or update of that object. */
  private readonly pending = new Map<string, number>();
  private closed = false;

  constructor(private readonly base: ReadTx) {}

  get<K extends TableName>(table: K, id: string): Tables[K] | undefined {
    const changed = this.overlay.get(table);
    if (changed?.has(id)) return (changed.get(id) ?? undefined) as Tables[K] | undefined;
    return this.base.get(table, id);
  }

  list<K extends TableName>(table: K): Tables[K][] {
    return this.find(table, () => true);
  }

  find<K extends TableName>(table: K, predicate: (o: Tables[K]) => boolean): Tables[K][] {
    const changed = this.overlay.get(table) ?? new Map<string, AnyObject | null>();
    const found: Tables[K][] = [];
    for (const o of this.base.list(table)) {
      const seen = (changed.has(o.id) ? changed.get(o.id) : o) as Tables[K] | null;
      if (seen && predicate(seen)) found.push(seen);
    }
    for (const [id, o] of changed) {
      if (o && !this.base.get(table, id) && predicate(o as Tables[K])) found.push(o as Tables[K]);
    }
    return found;
  }

  byIndex<K extends TableName>(table: K, index: IndexName<K>, key: string): Tables[K][] {
    const changed = this.overlay.get(table);
    const base = this.base.byIndex(table, index, key);
    if (!changed) return base;
    const keyOf = indexKeyFn(table, index);
    const found = base.filter((o) => !changed.has(o.id));
    for (const o of changed.values()) if (o && keyList(keyOf(o)).includes(key)) found.push(o as Tables[K]);
    return found;
  }

  count<K extends TableName>(table: K, index: IndexName<K>, key: string): number {
    return this.overlay.has(table) ? this.byIndex(table, index, key).length : this.base.count(table, index, key);
  }

  indexKeys<K extends TableName>(table: K, index: IndexName<K>): string[] {
    const changed = this.overlay.get(table);
    if (!changed) return this.base.indexKeys(table, index);
    const keys = new Set(this.base.indexKeys(table, index));
    for (const o of changed.values()) {
      for (const key of o ? keyList(indexKeyFn(table, index)(o)) : []) keys.add(key);
    }
    // A key whose every object changed here may be empty now.
    return [...keys].filter((k) => this.count(table, index, k) > 0);
  }

  create<K extends TableName>(table: K, object: Unversioned<Tables[K]>): void {
    this.checkOpen();
    if (this.get(table, object.id)) throw alreadyExists(`${noun(table)} ${object.id} already exists`);
    const body = withoutMeta(object);
    this.see(table, body.id, { ...body, meta: PENDING_META } as AnyObject);
    this.pending.set(`${table}/${body.id}`, this.actions.length);
    this.actions.push({ kind: 'create', table, object: body });
  }

  update<K extends TableName>(table: K, object: Tables[K]): void {
    this.checkOpen();
    const current = this.get(table, object.id);
    if (!current) throw notFound(`${noun(table)} ${object.id} not found`);
    const body = withoutMeta(object);
    this.see(table, body.id, { ...body, meta: current.meta } as AnyObject);
    const key = `${table}/${body.id}`;
    const at = this.pending.get(key);
    if (at !== undefined) {
      const earlier = this.actions[at] as Exclude<StoreAction, { kind: 'remove' }>;
      this.actions[at] = { ...earlier, object: body };
      return;
    }
    const expectedVersion = object.meta?.version ?? current.meta.version;
    this.pending.set(key, this.actions.length);
    this.actions.push({ kind: 'update', table, object: body, expectedVersion });
  }

  remove<K extends TableName>(table: K, id: string): void {
    this.checkOpen();
    const current = this.get(table, id);
    if (!current) throw notFound(`${noun(table)} ${id} not found`);
    this.see(table, id, null);
    const key = `${table}/${id}`;
    const at = this.pending.get(key);
    this.pending.delete(key);
    if (at === undefined) {
      this.actions.push({ kind: 'remove', table, id, expectedVersion: current.meta.version });
      return;
    }
    const earlier = this.actions[at]!;
    this.actions[at] = earlier.kind === 'update' ? { kind: 'remove', table, id, expectedVersion: earlier.expectedVersion } : null;
  }

  /** Ends the transaction and returns its actions; later writes are programmer errors. */
  close(): StoreAction[] {
    this.closed = true;
    return this.actions.filter((a): a is StoreAction => a !== null);
  }

  private see(table: TableName, id: string, object: AnyObject | null): void {
    let changed = this.overlay.get(table);
    if (!changed) this.overlay.set(table, (changed = new Map()));
    changed.set(id, object === null ? null : deepFreeze(object));
  }

  private checkOpen(): void {
    assert(!this.closed, 'write transaction used after store.update() callback returned');
  }
}
