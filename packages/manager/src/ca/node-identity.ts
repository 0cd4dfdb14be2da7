import { ERROR_CODES, ShoalError, invalidArgument, type NodeRole } from '@shoal/common';

/** Who a node certificate names: encoded in the subject as CN = nodeId, OU = role, O = clusterId. */
export interface NodeIdentity {
  nodeId: string;
  role: NodeRole;
  clusterId: string;
}

/** A distinguished name as a list of attribute → values records (the shape @peculiar/x509 takes). */
export type SubjectName = Array<Record<string, string[]>>;

/** The fields of a parsed subject, each as the list of its values. */
export interface SubjectFields {
  CN: string[];
  OU: string[];
  O: string[];
}

export const ROOT_CA_COMMON_NAME = 'shoal-root-ca';

const ROLE_UNITS: Record<NodeRole, string> = { manager: 'swarm-manager', worker: 'swarm-worker' };

/** Node IDs double as DNS names in the certificate's SAN, so they must be DNS labels. */
const NODE_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CLUSTER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function assertValidNodeId(nodeId: string): void {
  if (!NODE_ID_PATTERN.test(nodeId)) throw invalidArgument(`invalid node ID "${nodeId}" (lower-case letters, digits and '-')`);
}

export function assertValidClusterId(clusterId: string): void {
  if (!CLUSTER_ID_PATTERN.test(clusterId)) throw invalidArgument(`invalid cluster ID "${clusterId}"`);
}

export function roleToUnit(role: NodeRole): string {
  const unit = ROLE_UNITS[role];
  if (!unit) throw invalidArgument(`invalid node role "${String(role)}"`);
  return unit;
}

export function roleFromUnit(unit: string): NodeRole | undefined {
  if (unit === ROLE_UNITS.manager) return 'manager';
  if (unit === ROLE_UNITS.worker) return 'worker';
  return undefined;
}

export function rootSubject(clusterId: string): SubjectName {
  assertValidClusterId(clusterId);
  return [{ CN: [ROOT_CA_COMMON_NAME] }, { O: [clusterId] }];
}

export function nodeSubject(identity: NodeIdentity): SubjectName {
  assertValidNodeId(identity.nodeId);
  assertValidClusterId(identity.clusterId);
  return [{ CN: [identity.nodeId] }, { OU: [roleToUnit(identity.role)] }, { O: [identity.clusterId] }];
}

function unauthenticated(message: string): ShoalError {
  return new ShoalError(ERROR_CODES.UNAUTHENTICATED, message);
}

function single(values: string[], field: string): string {
  const [value] = values;
  if (values.length !== 1 || value === undefined) throw unauthenticated(`node certificate must have exactly one ${field}`);
  return value;
}

/** Reads the identity back from a certificate subject; throws UNAUTHENTICATED if it is not a node's. */
export function identityFromSubject(fields: SubjectFields): NodeIdentity {
  const nodeId = single(fields.CN, 'common name (node ID)');
  const unit = single(fields.OU, 'organizational unit (role)');
  const clusterId = single(fields.O, 'organization (cluster ID)');
  const role = roleFromUnit(unit);
  if (!role) throw unauthenticated(`node certificate has an unknown role "${unit}"`);
  if (!NODE_ID_PATTERN.test(nodeId)) throw unauthenticated(`node certificate has an invalid node ID "${nodeId}"`);
  return { nodeId, role, clusterId };
}

/** For the service edge: refuse a caller whose role may not use this service. */
export function assertRole(identity: NodeIdentity, allowed: readonly NodeRole[]): void {
  if (allowed.includes(identity.role)) return;
  throw new ShoalError(ERROR_CODES.PERMISSION_DENIED, `node ${identity.nodeId} (${identity.role}) may not call this service`);
}
