import { deepFreeze } from './deep-freeze.js';
import type { TableSet } from './table-set.js';
import { ServiceNames } from './unique-names.js';
import { NetworkClaims } from './network-claims.js';
import { TABLE_NAMES, type LogEntry, type StoreAction, type TableName, type Tables, type TransactionResult, type WatchEvent } from './types.js';

export interface ApplyOutcome {
  results: TransactionResult[];
  events: WatchEvent[];
}

/**
 * Applies every transaction of an entry to the tables, in order. Pure apart from changing
 * `tables`: times and versions come from the entry, never from a clock.
 */
export function applyEntryTo(tables: TableSet, entry: LogEntry): ApplyOutcome {
  const time = new Date(entry.time).toISOString();
  const results: TransactionResult[] = [];
  const events: WatchEvent[] = [];
  for (const actions of entry.transactions) {
    const error = checkTransaction(tables, actions, entry.index);
    if (error !== undefined) {
      results.push({ ok: false, error });
      continue;
    }
    for (const action of actions) events.push(applyAction(tables, action, entry.index, time));
    results.push({ ok: true });
  }
  return { results, events };
}

const actionId = (a: StoreAction): string => (a.kind === 'remove' ? a.id : a.object.id);
/** "service abc": named only in an error (a regular expression per action cost the apply). */
const what = (table: TableName, id: string): string => `${table.replace(/s$/, '')} ${id}`;

/**
 * Checks a transaction's actions in order against the tables plus the transaction's own earlier
 * actions. Returns why the transaction conflicts, or undefined when it can be applied.
 */
export function checkTransaction(tables: TableSet, actions: StoreAction[], index: number): string | undefined {
  /** `table/id` → the version the object would have so far in this transaction, null if absent. */
  const staged = new Map<string, number | null>();
  const names = new ServiceNames(tables);
  const claims = new NetworkClaims(tables);
  for (const action of actions) {
    if (!TABLE_NAMES.includes(action.table)) return `unknown table ${String(action.table)}`;
    const id = actionId(action);
    const key = `${action.table}/${id}`;
    const version = staged.has(key) ? staged.get(key)! : (tables.get(action.table, id)?.meta.version ?? null);
    names.stage(action);
    claims.stage(action);
    if (action.kind === 'create') {
      if (version !== null) return `${what(action.table, id)} already exists`;
      staged.set(key, index);
      continue;
    }
    if (version === null) return `${what(action.table, id)} does not exist any more`;
    if (action.expectedVersion !== undefined && action.expectedVersion !== version) {
      return `${what(action.table, id)} changed since it was read (expected version ${action.expectedVersion}, found ${version})`;
    }
    staged.set(key, action.kind === 'remove' ? null : index);
  }
  return names.clash() ?? claims.clash();
}

function applyAction(tables: TableSet, action: StoreAction, index: number, time: string): WatchEvent {
  const table: TableName = action.table;
  if (action.kind === 'remove') {
    const old = tables.get(table, action.id)!;
    tables.delete(table, action.id);
    return { kind: 'remove', table, object: old } as WatchEvent;
  }
  const old = tables.get(table, action.object.id);
  const meta = { version: index, createdAt: old && action.kind === 'update' ? old.meta.createdAt : time, updatedAt: time };
  const object = deepFreeze({ ...action.object, meta }) as Tables[TableName];
  tables.set(table, object);
  if (action.kind === 'create') return { kind: 'create', table, object } as WatchEvent;
  return { kind: 'update', table, object, old } as WatchEvent;
}
