import { failedPrecondition, invalidArgument, type Node, type NodeAvailability, type NodeRole } from '@shoal/common';
import type { Store } from '../store/types.js';
import { resolveRef } from './resolve-ref.js';

export interface NodeChanges {
  availability?: string;
  role?: string;
  labelAdd: Record<string, string>;
  labelRm: string[];
}

const AVAILABILITIES: NodeAvailability[] = ['active', 'pause', 'drain'];
const ROLES: NodeRole[] = ['manager', 'worker'];

/** What a role change (`node promote/demote`) does beyond the store: the Raft group's membership. */
export interface RoleChanges {
  /** Throws when the change must be refused (it would break the managers' quorum). */
  check(node: Node, role: NodeRole): void;
  /** After the store says so: a demoted manager leaves the Raft group. */
  applied(node: Node, role: NodeRole): Promise<void>;
}

export async function updateNode(store: Store, ref: string, changes: NodeChanges, roles?: RoleChanges): Promise<Node> {
  if (changes.availability && !AVAILABILITIES.includes(changes.availability as NodeAvailability)) {
    throw invalidArgument(`invalid availability "${changes.availability}": must be one of active, pause, drain`);
  }
  if (changes.role && !ROLES.includes(changes.role as NodeRole)) {
    throw invalidArgument(`invalid role "${changes.role}": must be manager or worker`);
  }
  const before = resolveRef(store.view(), 'nodes', ref);
  const newRole = changes.role as NodeRole | undefined;
  const roleChanges = newRole !== undefined && newRole !== before.spec.role;
  if (roleChanges) roles?.check(before, newRole);
  const id = await store.update((tx) => {
    const node = resolveRef(tx, 'nodes', ref);
    const labels = { ...node.spec.annotations.labels, ...changes.labelAdd };
    for (const key of changes.labelRm) {
      if (!(key in labels)) throw invalidArgument(`key ${key} doesn't exist in node's labels`);
      delete labels[key];
    }
    const spec = {
      ...node.spec,
      annotations: { ...node.spec.annotations, labels },
      availability: (changes.availability || node.spec.availability) as NodeAvailability,
      role: (changes.role || node.spec.role) as NodeRole,
    };
    // A worker has no manager status (a demoted manager's is dropped with its role).
    const { managerStatus, ...rest } = node;
    tx.update('nodes', spec.role === 'worker' || !managerStatus ? { ...rest, spec } : { ...rest, managerStatus, spec });
    return node.id;
  });
  if (roleChanges) await roles?.applied(before, newRole);
  return store.view().get('nodes', id)!;
}

/** Docker refuses to remove a node that is up unless forced, and never removes a manager. */
export async function removeNode(store: Store, ref: string, force: boolean): Promise<void> {
  await store.update((tx) => {
    const node = resolveRef(tx, 'nodes', ref);
    if (node.spec.role === 'manager') {
      throw failedPrecondition(`rpc error: node ${node.id} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`);
    }
    if (node.status.state !== 'down' && !force) {
      throw failedPrecondition(`node ${node.id} is not down and can't be removed`);
    }
    tx.remove('nodes', node.id);
  });
}
