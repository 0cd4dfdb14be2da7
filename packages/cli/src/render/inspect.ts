import type { Node, Service, ServiceSpec } from '@shoal/common';
import { bytesSize, capitalize, goDuration } from './human.js';
import { managerStatus } from './nodes.js';
import { formatPorts } from './services.js';

/** `inspect` without --pretty: a JSON array indented by four spaces, as Docker prints it. */
export function renderInspect(objects: readonly unknown[]): string {
  return JSON.stringify(objects, null, 4);
}

/**
 * `service inspect`: the stored service, plus Docker's `Endpoint` (its mode, ports and
 * `VirtualIPs` as `{NetworkID, Addr}`), which scripts written for `docker service inspect` read.
 */
export function inspectService(service: Service): Record<string, unknown> {
  const endpoint = {
    Spec: { Mode: service.spec.endpoint.mode ?? 'vip' },
    Ports: service.spec.endpoint.ports.map((p) => ({ Protocol: p.protocol, TargetPort: p.targetPort, PublishedPort: p.publishedPort, PublishMode: p.publishMode })),
    VirtualIPs: (service.endpoint?.virtualIps ?? []).map((v) => ({ NetworkID: v.networkId, Addr: v.address })),
  };
  return { ...service, Endpoint: endpoint };
}

/** Lines `Label:  value` with the values aligned; an undefined value drops the line. */
function block(rows: [string, string | undefined][], indent = ''): string[] {
  const kept = rows.filter((r): r is [string, string] => r[1] !== undefined);
  const width = Math.max(0, ...kept.map(([k]) => k.length)) + 3;
  return kept.map(([k, v]) => `${indent}${`${k}:`.padEnd(width)}${v}`.trimEnd());
}

const cpus = (nano: number) => String(nano / 1e9);

export function prettyNode(node: Node): string[] {
  const d = node.description;
  const lines = block([
    ['ID', node.id],
    ['Hostname', d.hostname],
    ['Joined at', node.meta.createdAt],
  ]);
  const labels = Object.entries(node.spec.annotations.labels);
  if (labels.length > 0) lines.push('Labels:', ...labels.map(([k, v]) => ` - ${k}=${v}`));
  lines.push('Status:', ...block([['State', capitalize(node.status.state)], ['Availability', capitalize(node.spec.availability)], ['Address', node.status.addr], ['Message', node.status.message || undefined]], ' '));
  if (node.managerStatus) {
    lines.push('Manager Status:', ...block([['Address', node.managerStatus.addr], ['Raft Status', managerStatus(node) === 'Leader' ? 'Reachable' : managerStatus(node)], ['Leader', node.managerStatus.leader ? 'Yes' : 'No']], ' '));
  }
  lines.push('Platform:', ...block([['Operating System', d.platform.os], ['Architecture', d.platform.architecture]], ' '));
  lines.push('Resources:', ...block([['CPUs', cpus(d.resources.nanoCpus)], ['Memory', bytesSize(d.resources.memoryBytes)]], ' '));
  lines.push(...ingressLines(node));
  lines.push(...block([['Engine Version', d.engineVersion]]));
  return lines;
}

/**
 * The node's routing mesh (issue 11): the data path its agent reported, whether the client's
 * address reaches the tasks, why not (or why that backend), and the node's own ingress address.
 */
function ingressLines(node: Node): string[] {
  const report = node.description.ingress;
  if (!report && !node.ingress) return [];
  const head = report ? `backend ${report.backend}, client address ${report.clientAddress}` : 'not reported by the node';
  return [...block([['Ingress', head]]), ...block([['Address', node.ingress?.address], ['Message', report?.message || undefined]], ' ')];
}

function modeLines(spec: ServiceSpec): string[] {
  if (spec.mode.kind === 'global') return block([['Service Mode', 'Global']]);
  return [...block([['Service Mode', 'Replicated']]), ...block([['Replicas', String(spec.mode.replicas)]], ' ')];
}

function containerLines(spec: ServiceSpec): string[] {
  const c = spec.task.container;
  const lines = ['ContainerSpec:', ...block([
    ['Image', c.image],
    ['Entrypoint', c.entrypoint?.join(' ')],
    ['Args', c.command?.join(' ')],
    ['Dir', c.dir],
    ['User', c.user],
    ['Hostname', c.hostname],
    ['Stop grace period', goDuration(c.stopGracePeriodMs)],
  ], ' ')];
  if (c.env.length > 0) lines.push(' Env:', ...c.env.map((e) => `  ${e}`));
  if (c.mounts.length > 0) lines.push('Mounts:', ...c.mounts.map((m) => ` ${m.type} ${m.source || '(anonymous)'} -> ${m.target}${m.readOnly ? ' (read-only)' : ''}`));
  return lines;
}

function resourceLines(spec: ServiceSpec): string[] {
  const { limits, reservations } = spec.task.resources;
  const part = (title: string, r: { nanoCpus: number; memoryBytes: number }) =>
    r.nanoCpus || r.memoryBytes ? [` ${title}:`, ...block([['CPU', r.nanoCpus ? cpus(r.nanoCpus) : undefined], ['Memory', r.memoryBytes ? bytesSize(r.memoryBytes) : undefined]], '  ')] : [];
  const lines = [...part('Reservations', reservations), ...part('Limits', limits)];
  return lines.length > 0 ? ['Resources:', ...lines] : [];
}

export function prettyService(service: Service): string[] {
  const spec = service.spec;
  const lines = block([['ID', service.id], ['Name', spec.annotations.name]]);
  const labels = Object.entries(spec.annotations.labels);
  if (labels.length > 0) lines.push('Labels:', ...labels.map(([k, v]) => ` ${k}=${v}`));
  lines.push(...modeLines(spec));
  if (service.updateStatus) lines.push('UpdateStatus:', ...block([['State', service.updateStatus.state], ['Started', service.updateStatus.startedAt], ['Message', service.updateStatus.message]], ' '));
  const p = spec.task.placement;
  if (p.constraints.length > 0 || p.spreadPreferences.length > 0) {
    lines.push('Placement:', ...block([['Constraints', p.constraints.length ? `[${p.constraints.join(' ')}]` : undefined], ['Preferences', p.spreadPreferences.length ? p.spreadPreferences.map((s) => `spread=${s}`).join(' ') : undefined]], ' '));
  }
  const r = spec.task.restartPolicy;
  lines.push('RestartPolicy:', ...block([['Condition', r.condition], ['Delay', goDuration(r.delayMs)], ['Max attempts', String(r.maxAttempts)], ['Window', goDuration(r.windowMs)]], ' '));
  lines.push(...containerLines(spec), ...resourceLines(spec));
  if (spec.task.networks.length > 0) lines.push(...block([['Networks', spec.task.networks.map((n) => n.target).join(' ')]]));
  lines.push(...block([['Endpoint Mode', spec.endpoint.mode ?? 'vip']]));
  const vips = service.endpoint?.virtualIps ?? [];
  if (vips.length > 0) lines.push('Virtual IPs:', ...vips.map((v) => ` ${v.address} (network ${v.networkId})`));
  if (spec.endpoint.ports.length > 0) {
    lines.push('Ports:', ...spec.endpoint.ports.map((port) => ` ${formatPorts([port])} (${port.publishMode})`));
  }
  return lines;
}
