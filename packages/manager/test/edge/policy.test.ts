import { describe, expect, it } from 'vitest';
import type { NodeRole } from '@shoal/common';
import { authorize, requirementOf, speaksForField, type MembershipView, type Requirement } from '../../src/edge/policy.js';
import type { NodeIdentity } from '../../src/ca/node-identity.js';

const roles: Record<string, NodeRole> = { lead: 'manager', demoted: 'worker', worker: 'worker' };
const raftMembers = new Set(['lead', 'demoted', 'catching-up-peer']);
const view: MembershipView = { clusterId: 'c1', roleOf: (id) => roles[id], inRaftGroup: (id) => raftMembers.has(id) };
const cert = (nodeId: string, role: NodeRole = 'manager', clusterId = 'c1'): NodeIdentity => ({ nodeId, role, clusterId });
const allowed = (requires: Requirement, caller: NodeIdentity | undefined, v = view, speaksFor?: string) => authorize({ requires, caller, speaksFor }, v).allowed;

describe('the access policy of the node-to-node port', () => {
  it('maps every service method to what it requires', () => {
    expect(requirementOf('NodeCA', 'GetRootCACertificate')).toBe('anyone');
    expect(requirementOf('NodeCA', 'IssueNodeCertificate')).toBe('anyone');
    expect(requirementOf('NodeCA', 'RenewNodeCertificate')).toBe('member');
    expect(requirementOf('Dispatcher', 'Session')).toBe('member');
    expect(requirementOf('Raft', 'Stream')).toBe('raft-peer');
    expect(requirementOf('Raft', 'Leave')).toBe('raft-peer');
    expect(requirementOf('Raft', 'Join')).toBe('manager');
    expect(requirementOf('Control', 'JoinTokens')).toBe('manager');
    expect(requirementOf('Control', 'AnyFutureMethod')).toBe('manager');
    expect(speaksForField('Dispatcher', 'Heartbeat')).toBe('nodeId');
    expect(speaksForField('Raft', 'Leave')).toBe('nodeId');
    expect(speaksForField('Control', 'ListNodes')).toBeUndefined();
  });

  it('lets anyone reach the open methods, and nobody without a certificate reach the others', () => {
    expect(allowed('anyone', undefined)).toBe(true);
    for (const r of ['member', 'manager', 'raft-peer'] as const) {
      expect(authorize({ requires: r, caller: undefined }, view)).toEqual({ allowed: false, code: 'E_UNAUTHENTICATED', reason: 'the caller presented no verified node certificate' });
    }
  });

  it('follows the store, not the certificate: a demoted manager is refused manager calls at once', () => {
    expect(allowed('manager', cert('lead'))).toBe(true);
    expect(authorize({ requires: 'manager', caller: cert('demoted') }, view)).toEqual({
      allowed: false,
      code: 'E_PERMISSION_DENIED',
      reason: 'node demoted is not a manager of this swarm (its role is worker)',
    });
    expect(allowed('member', cert('demoted'))).toBe(true); // it goes on as a worker
  });

  it('refuses a removed node on every guarded requirement', () => {
    for (const r of ['member', 'manager', 'raft-peer'] as const) {
      const d = authorize({ requires: r, caller: cert('gone') }, view);
      expect(d).toMatchObject({ allowed: false, code: 'E_PERMISSION_DENIED' });
      expect(d.allowed ? '' : d.reason).toMatch(/^node gone is not a member of this swarm/);
    }
  });

  it('needs a manager certificate as well for manager calls (a promoted node renews first)', () => {
    roles['promoted'] = 'manager';
    expect(allowed('manager', cert('promoted', 'worker'))).toBe(false);
    expect(allowed('manager', cert('promoted', 'manager'))).toBe(true);
    expect(allowed('member', cert('worker', 'worker'))).toBe(true);
    expect(allowed('manager', cert('worker', 'worker'))).toBe(false);
  });

  it('lets Raft members talk Raft: one that is being removed acknowledges its removal, a joiner hears its peers before its store has them', () => {
    expect(allowed('raft-peer', cert('demoted'))).toBe(true);
    const empty: MembershipView = { clusterId: undefined, roleOf: () => undefined, inRaftGroup: (id) => id === 'catching-up-peer' };
    expect(allowed('raft-peer', cert('catching-up-peer'), empty)).toBe(true);
    expect(allowed('raft-peer', cert('stranger'), empty)).toBe(false);
    expect(allowed('raft-peer', cert('catching-up-peer', 'worker'), empty)).toBe(false);
  });

  it('lets a caller speak only for itself', () => {
    expect(allowed('member', cert('worker', 'worker'), view, 'worker')).toBe(true);
    expect(authorize({ requires: 'member', caller: cert('worker', 'worker'), speaksFor: 'lead' }, view)).toMatchObject({ allowed: false, reason: 'node worker cannot speak for node lead' });
    expect(allowed('raft-peer', cert('lead'), view, 'demoted')).toBe(false);
  });

  it('refuses a certificate of another swarm', () => {
    expect(authorize({ requires: 'member', caller: cert('lead', 'manager', 'c2') }, view)).toMatchObject({ allowed: false, reason: 'node lead holds a certificate of another swarm' });
  });
});
