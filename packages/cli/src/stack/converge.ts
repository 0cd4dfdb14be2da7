import type { Node, Service, Task } from '@shoal/common';
import { eligibleNodes } from './node-eligible.js';
import { specEqual } from './spec-equal.js';

export interface ServiceProgress {
  id: string;
  name: string;
  /** Tasks of the current spec running and meant to run. */
  running: number;
  /** Replicas, or for a global service the nodes it is meant to run on. */
  desired: number;
  /** Tasks of an older spec whose container still runs. */
  stale: number;
  converged: boolean;
  /** IDs of the tasks counted as running. */
  runningIds: string[];
}

export interface TaskFailure {
  taskId: string;
  serviceName: string;
  /** `svc.slot` (replicated) or `svc.node` (global), as `service ps` names it. */
  taskName: string;
  message: string;
}

export interface ConvergenceInput {
  services: readonly Service[];
  tasks: readonly Task[];
  nodes: readonly Node[];
  /** Only failures that happened at or after this time (ms) are reported. */
  since: number;
}

export interface Convergence {
  services: ServiceProgress[];
  failures: TaskFailure[];
  converged: boolean;
}

/** Its spec and published ports are the service's current ones. */
export function isCurrent(task: Task, service: Service): boolean {
  return specEqual(task.spec, service.spec.task) && specEqual(task.endpointPorts, service.spec.endpoint.ports);
}

export function taskName(task: Task): string {
  const svc = task.serviceAnnotations.name;
  return task.slot > 0 ? `${svc}.${task.slot}` : `${svc}.${task.nodeId.slice(0, 12)}`;
}

function desiredCount(service: Service, tasks: readonly Task[], nodes: readonly Node[]): number {
  const mode = service.spec.mode;
  if (mode.kind === 'replicated') return mode.replicas;
  const eligible = eligibleNodes(nodes, service.spec.task.placement.constraints).length;
  const assigned = new Set(tasks.filter((t) => t.desiredState === 'running' && t.nodeId !== '').map((t) => t.nodeId)).size;
  return Math.max(eligible, assigned);
}

/**
 * Where one service stands: converged when exactly `desired` tasks of the current spec run with
 * desired state running and no task of an older spec still runs.
 */
export function serviceProgress(service: Service, tasks: readonly Task[], nodes: readonly Node[]): ServiceProgress {
  const own = tasks.filter((t) => t.serviceId === service.id);
  const runningIds = own.filter((t) => t.status.state === 'running' && t.desiredState === 'running' && isCurrent(t, service)).map((t) => t.id);
  const running = runningIds.length;
  const stale = own.filter((t) => t.status.state === 'running' && !isCurrent(t, service)).length;
  const desired = desiredCount(service, own, nodes);
  return { id: service.id, name: service.spec.annotations.name, running, desired, stale, converged: running === desired && stale === 0, runningIds };
}

/** Tasks of the current specs that failed, were rejected or cannot be placed, since `since`. */
function failures(input: ConvergenceInput): TaskFailure[] {
  const byId = new Map(input.services.map((s) => [s.id, s]));
  const out: TaskFailure[] = [];
  for (const task of input.tasks) {
    const service = byId.get(task.serviceId);
    if (!service || !task.status.err || !isCurrent(task, service)) continue;
    const at = Date.parse(task.status.timestamp);
    if (!Number.isNaN(at) && at < input.since) continue;
    out.push({ taskId: task.id, serviceName: service.spec.annotations.name, taskName: taskName(task), message: task.status.err });
  }
  return out.sort((a, b) => (a.taskName < b.taskName ? -1 : a.taskName > b.taskName ? 1 : 0));
}

export function checkConvergence(input: ConvergenceInput): Convergence {
  const services = input.services.map((s) => serviceProgress(s, input.tasks, input.nodes));
  return { services, failures: failures(input), converged: services.every((s) => s.converged) };
}

/** One progress line per service, e.g. `web_web: 3/5 running` (`, 1 old task stopping` while an update rolls). */
export function progressLine(p: ServiceProgress): string {
  const old = p.stale > 0 ? `, ${p.stale} old ${p.stale === 1 ? 'task' : 'tasks'} still running` : '';
  return `${p.name}: ${p.running}/${p.desired} running${old}${p.converged ? ' (converged)' : ''}`;
}

/**
 * Tracks what was already printed so a poll loop prints only what changed: progress lines whose
 * text changed, and each (task, error) once.
 */
export class ProgressReporter {
  private readonly lines = new Map<string, string>();
  private readonly seenErrors = new Set<string>();

  report(c: Convergence): string[] {
    const out: string[] = [];
    for (const p of c.services) {
      const line = progressLine(p);
      if (this.lines.get(p.id) !== line) out.push(line);
      this.lines.set(p.id, line);
    }
    for (const f of c.failures) {
      // A task that keeps crashing fails the same way in every replacement: say it once per slot.
      const key = `${f.taskName}\u0000${f.message}`;
      if (this.seenErrors.has(key)) continue;
      this.seenErrors.add(key);
      out.push(`${f.taskName}: ${f.message}`);
    }
    return out;
  }
}

/** Docker's wait, after the counts are right, before it calls the tasks stable. */
export const DEFAULT_STABLE_MS = 5_000;

/**
 * Convergence that holds: the same running tasks for `stableMs` in a row, so a container that
 * starts and crashes at once is not taken for a success. `observe` returns true once it holds.
 */
export class StabilityGate {
  private since: number | undefined;
  private ids = '';

  constructor(private readonly stableMs = DEFAULT_STABLE_MS) {}

  observe(c: Convergence, now: number): boolean {
    const ids = c.services.flatMap((s) => s.runningIds).sort().join(',');
    if (!c.converged) this.since = undefined;
    else if (this.since === undefined || ids !== this.ids) this.since = now;
    this.ids = ids;
    return this.since !== undefined && now - this.since >= this.stableMs;
  }

  /** True while converged but not yet for long enough. */
  get verifying(): boolean {
    return this.since !== undefined;
  }
}
