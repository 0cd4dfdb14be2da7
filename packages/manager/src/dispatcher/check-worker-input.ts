import { MAX_INGRESS_MESSAGE, WORKER_INPUT_LIMITS as L, WORKER_REPORTED_STATES, type IngressBackendName, type IngressReport, type NodeDescription, type TaskHealth, type TaskState, type TaskStatus } from '@shoal/common';
import { FieldReader } from './wire-fields.js';

/**
 * What a node sends the dispatcher, checked field by field before anything reaches the store
 * (DESIGN §4: every input is checked at the edge where it enters). Each function takes a decoded
 * request and returns the model object, or throws one clear INVALID_ARGUMENT line naming the
 * field. Whether a status may replace the stored one (its node, its order) is status-updates.ts.
 */

export interface CheckedSession {
  nodeId: string;
  addr: string;
  description: NodeDescription;
}

export interface CheckedStatusUpdate {
  taskId: string;
  status: TaskStatus;
}

const ID_CHARS = 64;
const STATE_CHARS = 32;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)$/;
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;
const INT32 = 2 ** 31;
const HEALTH: readonly TaskHealth[] = ['starting', 'healthy', 'unhealthy'];
const BACKENDS: readonly IngressBackendName[] = ['nftables', 'iptables', 'ipvs'];
const CLIENT_ADDRESS: readonly IngressReport['clientAddress'][] = ['preserved', 'snat'];

/** A Session request: the node's ID, its address and its description. */
export function checkSessionRequest(req: unknown): CheckedSession {
  const r = new FieldReader('session refused');
  const o = r.object(req, 'request');
  return {
    nodeId: r.string(o.nodeId, 'node_id', ID_CHARS, { name: true, required: true }),
    addr: r.string(o.addr, 'addr', L.addrChars, { name: true }),
    description: checkNodeDescription(r, o.description),
  };
}

function checkNodeDescription(r: FieldReader, v: unknown): NodeDescription {
  const d = r.object(v, 'description');
  const platform = r.object(d.platform, 'description.platform');
  const resources = r.object(d.resources, 'description.resources');
  const out: NodeDescription = {
    hostname: r.string(d.hostname, 'description.hostname', L.hostnameChars, { name: true, required: true }),
    platform: {
      os: r.string(platform.os, 'description.platform.os', L.platformFieldChars, { name: true }),
      architecture: r.string(platform.architecture, 'description.platform.architecture', L.platformFieldChars, { name: true }),
    },
    resources: {
      nanoCpus: r.integer(resources.nanoCpus, 'description.resources.nano_cpus', 0, Number.MAX_SAFE_INTEGER),
      memoryBytes: r.integer(resources.memoryBytes, 'description.resources.memory_bytes', 0, Number.MAX_SAFE_INTEGER),
    },
    engineVersion: r.string(d.engineVersion, 'description.engine_version', L.engineVersionChars, { name: true }),
    engineLabels: r.stringMap(d.engineLabels, 'description.engine_labels', L.engineLabels, L.engineLabelKeyChars, L.engineLabelValueChars),
  };
  const ingress = checkIngressReport(r, d.ingress);
  if (ingress) out.ingress = ingress;
  const chars = Object.entries(out.engineLabels).reduce((n, [k, val]) => n + k.length + val.length, out.hostname.length);
  if (chars > L.descriptionChars) throw r.fail('description', `has ${chars} characters (limit ${L.descriptionChars})`);
  return out;
}

/** How the node's routing mesh works (issue 11); absent from agents that predate it. */
function checkIngressReport(r: FieldReader, v: unknown): IngressReport | undefined {
  if (v === undefined || v === null) return undefined;
  const o = r.object(v, 'description.ingress');
  const backend = r.string(o.backend, 'description.ingress.backend', STATE_CHARS, { name: true, required: true });
  if (!(BACKENDS as readonly string[]).includes(backend)) throw r.fail('description.ingress.backend', `is "${backend}", not ${BACKENDS.join(', ')}`);
  const clientAddress = r.string(o.clientAddress, 'description.ingress.client_address', STATE_CHARS, { name: true, required: true });
  if (!(CLIENT_ADDRESS as readonly string[]).includes(clientAddress)) {
    throw r.fail('description.ingress.client_address', `is "${clientAddress}", not ${CLIENT_ADDRESS.join(' or ')}`);
  }
  const message = r.string(o.message ?? '', 'description.ingress.message', MAX_INGRESS_MESSAGE);
  return { backend: backend as IngressBackendName, clientAddress: clientAddress as IngressReport['clientAddress'], message };
}

/** The updates of an UpdateTaskStatus request: bounded in number, one per task, each checked. */
export function checkStatusUpdates(req: unknown): CheckedStatusUpdate[] {
  const r = new FieldReader('task status refused');
  const updates = r.object(req, 'request').updates;
  if (!Array.isArray(updates)) throw r.fail('updates', 'must be a list');
  if (updates.length > L.updatesPerCall) throw r.fail('updates', `has ${updates.length} entries (limit ${L.updatesPerCall} per call)`);
  const seen = new Set<string>();
  return updates.map((u: unknown, i) => {
    const e = r.object(u, `updates[${i}]`);
    const taskId = r.string(e.taskId, `updates[${i}].task_id`, ID_CHARS, { name: true, required: true });
    if (seen.has(taskId)) throw r.fail(`updates[${i}].task_id`, `repeats task ${taskId}`);
    seen.add(taskId);
    return { taskId, status: checkTaskStatus(r, e.status, `updates[${i}] (task ${taskId}).status`) };
  });
}

function checkTaskStatus(r: FieldReader, v: unknown, path: string): TaskStatus {
  const s = r.object(v, path);
  const state = r.string(s.state, `${path}.state`, STATE_CHARS, { name: true, required: true });
  if (!(WORKER_REPORTED_STATES as readonly string[]).includes(state)) {
    throw r.fail(`${path}.state`, `is "${state}", not a state a node reports (${WORKER_REPORTED_STATES.join(', ')})`);
  }
  const timestamp = r.string(s.timestamp, `${path}.timestamp`, L.timestampChars, { name: true, required: true });
  if (!ISO_TIME.test(timestamp) || !Number.isFinite(Date.parse(timestamp))) throw r.fail(`${path}.timestamp`, 'must be an ISO-8601 time');
  const status: TaskStatus = { state: state as TaskState, timestamp, message: r.string(s.message, `${path}.message`, L.statusMessageChars) };
  const err = r.string(s.err ?? '', `${path}.err`, L.statusErrChars);
  if (err) status.err = err;
  const containerId = r.string(s.containerId ?? '', `${path}.container_id`, L.containerIdChars, { name: true });
  if (containerId && !CONTAINER_ID.test(containerId)) throw r.fail(`${path}.container_id`, 'must be letters, digits, "_", "." and "-"');
  if (containerId) status.containerId = containerId;
  if (s.exitCode !== undefined && s.exitCode !== null) status.exitCode = r.integer(s.exitCode, `${path}.exit_code`, -INT32, INT32 - 1);
  const containerIp = r.string(s.containerIp ?? '', `${path}.container_ip`, L.containerIpChars, { name: true });
  if (containerIp && !IPV4.test(containerIp) && !IPV6.test(containerIp)) throw r.fail(`${path}.container_ip`, `is not an IP address: ${containerIp}`);
  if (containerIp) status.containerIp = containerIp;
  const health = r.string(s.health ?? '', `${path}.health`, STATE_CHARS, { name: true });
  if (health && !(HEALTH as readonly string[]).includes(health)) throw r.fail(`${path}.health`, `is "${health}", not ${HEALTH.join(', ')} or empty`);
  if (health) status.health = health as TaskHealth;
  return status;
}

/** The name and address a joining node gives (NodeCA.IssueNodeCertificate), bounded as in a session. */
export function checkJoinFields(hostname: unknown, addr: unknown): { hostname: string; addr: string } {
  const r = new FieldReader('join refused');
  return {
    hostname: r.string(hostname, 'hostname', L.hostnameChars, { name: true }),
    addr: r.string(addr, 'advertise_addr', L.addrChars, { name: true }),
  };
}
