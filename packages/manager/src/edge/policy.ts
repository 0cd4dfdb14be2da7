import { ERROR_CODES, type ErrorCode, type NodeRole } from '@shoal/common';
import type { NodeIdentity } from '../ca/node-identity.js';

/**
 * Who may call what on the node-to-node port. The certificate says who the caller is; what it
 * may do follows the node's role and membership in this manager's store *now* (DESIGN §4), so a
 * node removed with `node rm` is refused at once and a demotion takes effect on the next call,
 * not at the certificate's next renewal.
 */
export type Requirement =
  /** No certificate needed: the root certificate, and joining (the token is checked instead). */
  | 'anyone'
  /** A node of this swarm, whatever its role: certificate renewal, the dispatcher. */
  | 'member'
  /** A manager now: its certificate says manager and so does the store. Forwarded control calls, Raft.Join. */
  | 'manager'
  /**
   * Raft traffic: a manager certificate, and the store says manager or the Raft group still
   * counts the node as a member (a demoted manager must still acknowledge its own removal; a
   * manager that is catching up knows its peers from the group before its store has them).
   */
  | 'raft-peer';

export type GuardedService = 'Control' | 'Dispatcher' | 'NodeCA' | 'Raft';

interface ServicePolicy {
  /** What every method of the service requires, unless it is listed in `methods`. */
  requires: Requirement;
  methods?: Record<string, Requirement>;
  /** Methods whose request names a node (this field): the caller may only speak for itself. */
  speaksFor?: Record<string, string>;
}

const DISPATCHER_METHODS = ['Session', 'Heartbeat', 'Assignments', 'UpdateTaskStatus'];

export const POLICY: Readonly<Record<GuardedService, ServicePolicy>> = {
  NodeCA: { requires: 'member', methods: { GetRootCACertificate: 'anyone', IssueNodeCertificate: 'anyone' } },
  Dispatcher: { requires: 'member', speaksFor: Object.fromEntries(DISPATCHER_METHODS.map((m) => [m, 'nodeId'])) },
  Raft: { requires: 'raft-peer', methods: { Join: 'manager' }, speaksFor: { Leave: 'nodeId' } },
  Control: { requires: 'manager' },
};

export function requirementOf(service: GuardedService, method: string): Requirement {
  const p = POLICY[service];
  return p.methods?.[method] ?? p.requires;
}

/** The request field that names the node a call speaks for, if the method has one. */
export function speaksForField(service: GuardedService, method: string): string | undefined {
  return POLICY[service].speaksFor?.[method];
}

/** What this manager knows of the swarm's members, read at the moment of the call. */
export interface MembershipView {
  /** The swarm's ID; undefined while this manager has no state yet (it is joining). */
  clusterId: string | undefined;
  /** The node's role in the store; undefined when the store has no such node (removed, or never joined). */
  roleOf(nodeId: string): NodeRole | undefined;
  /** The Raft group (as this manager knows it) counts the node among its members. */
  inRaftGroup(nodeId: string): boolean;
}

export interface AccessRequest {
  requires: Requirement;
  /** From the verified certificate; undefined when the caller presented none. */
  caller: NodeIdentity | undefined;
  /** The node the request speaks for, when the method names one. */
  speaksFor?: string | undefined;
}

export type Decision = { allowed: true } | { allowed: false; code: ErrorCode; reason: string };

const ALLOWED: Decision = { allowed: true };

function denied(reason: string, code: ErrorCode = ERROR_CODES.PERMISSION_DENIED): Decision {
  return { allowed: false, code, reason };
}

/** The one decision every guarded service takes before its handler runs. */
export function authorize(req: AccessRequest, view: MembershipView): Decision {
  if (req.requires === 'anyone') return ALLOWED;
  const caller = req.caller;
  if (!caller) return denied('the caller presented no verified node certificate', ERROR_CODES.UNAUTHENTICATED);
  if (view.clusterId !== undefined && caller.clusterId !== view.clusterId) return denied(`node ${caller.nodeId} holds a certificate of another swarm`);
  if (req.speaksFor !== undefined && req.speaksFor !== caller.nodeId) return denied(`node ${caller.nodeId} cannot speak for node ${req.speaksFor}`);
  const role = view.roleOf(caller.nodeId);
  switch (req.requires) {
    case 'member':
      return role === undefined ? removed(caller.nodeId) : ALLOWED;
    case 'manager':
      return isManager(caller, role) ? ALLOWED : notManager(caller, role);
    case 'raft-peer':
      if (caller.role === 'manager' && view.inRaftGroup(caller.nodeId)) return ALLOWED;
      return isManager(caller, role) ? ALLOWED : notManager(caller, role);
  }
}

function isManager(caller: NodeIdentity, role: NodeRole | undefined): boolean {
  return caller.role === 'manager' && role === 'manager';
}

function removed(nodeId: string): Decision {
  return denied(`node ${nodeId} is not a member of this swarm (it was removed, or never joined)`);
}

function notManager(caller: NodeIdentity, role: NodeRole | undefined): Decision {
  if (role === undefined) return removed(caller.nodeId);
  if (role !== 'manager') return denied(`node ${caller.nodeId} is not a manager of this swarm (its role is ${role})`);
  return denied(`node ${caller.nodeId} is a manager but its certificate is not yet: it must renew it first`);
}
