import type { Service } from '@shoal/common';
import type { TableSet } from './table-set.js';
import type { StoreAction } from './types.js';

/**
 * Service names are unique. Control checks this when it builds a transaction, but two
 * transactions built on the same view can both pass that check; this runs again at apply time,
 * against the tables plus the transaction's own earlier actions, so only the first one commits.
 */
export class ServiceNames {
  /** id → the name the service has so far in this transaction (null once removed). */
  private readonly staged = new Map<string, string | null>();

  constructor(private readonly tables: TableSet) {}

  /** Notes the name a service has after this action. */
  stage(action: StoreAction): void {
    if (action.table !== 'services') return;
    if (action.kind === 'remove') {
      this.staged.set(action.id, null);
      return;
    }
    const name = (action.object as Service).spec?.annotations?.name;
    if (typeof name === 'string') this.staged.set(action.object.id, name);
  }

  /** Why the transaction, once all its actions are staged, leaves two services with one name. */
  clash(): string | undefined {
    for (const [id, name] of this.staged) {
      if (name !== null && (this.inTables(name) || this.inTransaction(id, name))) return `service ${name} already exists`;
    }
    return undefined;
  }

  /** A service this transaction does not write holds the name in the tables. */
  private inTables(name: string): boolean {
    for (const other of this.tables.idsBy('services', 'name', name) ?? []) if (!this.staged.has(other)) return true;
    return false;
  }

  /** Another service this transaction writes takes the name too. */
  private inTransaction(id: string, name: string): boolean {
    for (const [other, staged] of this.staged) if (staged === name && other !== id) return true;
    return false;
  }
}
