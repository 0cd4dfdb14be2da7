import { notFound, invalidArgument } from '@shoal/common';
import type { ReadTx, TableName, Tables } from '../store/types.js';

const NOUN: Record<TableName, string> = { clusters: 'cluster', nodes: 'node', services: 'service', tasks: 'task', networks: 'network' };

/** Objects named `name`, through the name index of the table (only nodes and services have names). */
function byName<K extends TableName>(tx: ReadTx, table: K, name: string): Tables[K][] {
  if (table === 'nodes') return tx.byIndex('nodes', 'hostname', name) as Tables[K][];
  if (table === 'services') return tx.byIndex('services', 'name', name) as Tables[K][];
  if (table === 'networks') return tx.byIndex('networks', 'name', name) as Tables[K][];
  return [];
}

/** Candidates named in an ambiguity error, at most; the rest are counted. */
const MAX_CANDIDATES = 10;

/**
 * Docker's line ("node web is ambiguous (2 matches found)") followed by the candidates' IDs, so
 * that the user can pick one: two nodes may share a hostname, as in Docker.
 */
function ambiguous(table: TableName, ref: string, matches: Tables[TableName][]): Error {
  const ids = matches.map((o) => o.id).sort();
  const more = ids.length > MAX_CANDIDATES ? `, and ${ids.length - MAX_CANDIDATES} more` : '';
  return invalidArgument(`${NOUN[table]} ${ref} is ambiguous (${ids.length} matches found): ${ids.slice(0, MAX_CANDIDATES).join(', ')}${more}; use an ID`);
}

/**
 * Finds an object the way Docker resolves a reference: full ID, then exact name, then an
 * unambiguous ID prefix. The error messages match Docker's; an ambiguous one also names the
 * candidates.
 */
export function resolveRef<K extends TableName>(tx: ReadTx, table: K, ref: string): Tables[K] {
  if (!ref) throw invalidArgument(`${NOUN[table]} name or ID must not be empty`);
  const byId = tx.get(table, ref);
  if (byId) return byId;
  const named = byName(tx, table, ref);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) throw ambiguous(table, ref, named);
  const byPrefix = tx.find(table, (o) => o.id.startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1) throw ambiguous(table, ref, byPrefix);
  throw notFound(`${NOUN[table]} ${ref} not found`);
}
