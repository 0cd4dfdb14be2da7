import { notFound, invalidArgument } from '@shoal/common';
import type { ReadTx, TableName, Tables } from '../store/types.js';

const NOUN: Record<TableName, string> = { clusters: 'cluster', nodes: 'node', services: 'service', tasks: 'task' };

function nameOf(table: TableName, o: Tables[TableName]): string {
  if (table === 'nodes') return (o as Tables['nodes']).description.hostname;
  if (table === 'services') return (o as Tables['services']).spec.annotations.name;
  return '';
}

/**
 * Finds an object the way Docker resolves a reference: full ID, then exact name, then an
 * unambiguous ID prefix. The error messages match Docker's.
 */
export function resolveRef<K extends TableName>(tx: ReadTx, table: K, ref: string): Tables[K] {
  if (!ref) throw invalidArgument(`${NOUN[table]} name or ID must not be empty`);
  const byId = tx.get(table, ref);
  if (byId) return byId;
  const byName = tx.find(table, (o) => nameOf(table, o) === ref);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) throw invalidArgument(`${NOUN[table]} ${ref} is ambiguous (${byName.length} matches found)`);
  const byPrefix = tx.find(table, (o) => o.id.startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1) throw invalidArgument(`${NOUN[table]} ${ref} is ambiguous (${byPrefix.length} matches found)`);
  throw notFound(`${NOUN[table]} ${ref} not found`);
}
