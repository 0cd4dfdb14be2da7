import { isActiveState, isTerminalState, type Network, type Node, type Service, type Task } from '@shoal/common';
import type { TableName, Tables } from './types.js';

/**
 * A task holds a place on its node while it is meant to run (desired state at most running) and
 * has not stopped yet.
 */
export function holdsPlaceOnNode(task: Task): boolean {
  return task.nodeId !== '' && isActiveState(task.desiredState) && !isTerminalState(task.status.state);
}

/**
 * The secondary indexes the store maintains at apply time, per table: index name → the key an
 * object is filed under (undefined: not in this index). Keys are derived from the object alone,
 * so every replica builds the same indexes from the same entries.
 */
export const INDEXES = {
  clusters: {},
  nodes: {
    hostname: (n: Node) => n.description.hostname,
  },
  services: {
    name: (s: Service) => s.spec.annotations.name,
    mode: (s: Service) => s.spec.mode.kind,
  },
  tasks: {
    serviceId: (t: Task) => t.serviceId,
    nodeId: (t: Task) => t.nodeId,
    desiredState: (t: Task) => t.desiredState,
    state: (t: Task) => t.status.state,
    /** Tasks that hold a place (resources, ports) on their node: what the scheduler counts. */
    holdsPlaceOn: (t: Task) => (holdsPlaceOnNode(t) ? t.nodeId : undefined),
  },
  networks: {
    name: (n: Network) => n.spec.annotations.name,
  },
} as const satisfies { [K in TableName]: Record<string, (o: Tables[K]) => string | undefined> };

/** The names of the indexes of one table. */
export type IndexName<K extends TableName> = keyof (typeof INDEXES)[K] & string;

type KeyFn = (o: Tables[TableName]) => string | undefined;

/** The key function of one index (a programmer error if it does not exist). */
export function indexKeyFn(table: TableName, index: string): KeyFn {
  const fn = (INDEXES[table] as Record<string, KeyFn | undefined>)[index];
  if (!fn) throw new Error(`no index ${index} on table ${table}`);
  return fn;
}

const LISTED = new Map<TableName, [string, KeyFn][]>(
  (Object.keys(INDEXES) as TableName[]).map((table) => [table, Object.entries(INDEXES[table] as Record<string, KeyFn>)]),
);

/** Every index of a table with its key function. */
export function indexesOf(table: TableName): readonly [string, KeyFn][] {
  return LISTED.get(table)!;
}
