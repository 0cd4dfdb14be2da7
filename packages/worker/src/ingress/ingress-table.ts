import type { IngressEntry, Task } from '@shoal/common';

/** The ingress table as the renderer needs it: a published port and where to send its traffic. */
export interface IngressPort {
  publishedPort: number;
  protocol: 'tcp' | 'udp';
  backends: readonly { ip: string; port: number }[];
}

function isBackend(task: Task): boolean {
  return task.status.state === 'running' && task.desiredState === 'running';
}

/**
 * The ingress table for a set of tasks: every ingress-published port, backed by the running tasks'
 * containers on their target port. `containerIps` (task id → address) overrides the address the
 * task's status carries; a running task without an address is left out.
 */
export function ingressTableFromTasks(tasks: readonly Task[], containerIps: ReadonlyMap<string, string> = new Map()): IngressEntry[] {
  const byPort = new Map<string, IngressEntry>();
  for (const task of tasks) {
    for (const p of task.endpointPorts) {
      if (p.publishMode !== 'ingress' || p.publishedPort === 0) continue;
      const key = `${p.publishedPort}/${p.protocol}`;
      let entry = byPort.get(key);
      if (!entry) byPort.set(key, (entry = { publishedPort: p.publishedPort, protocol: p.protocol, backends: [] }));
      const ip = containerIps.get(task.id) ?? task.status.containerIp;
      if (isBackend(task) && ip) entry.backends.push({ ip, port: p.targetPort, taskId: task.id });
    }
  }
  const entries = [...byPort.values()];
  for (const e of entries) e.backends.sort((a, b) => a.taskId.localeCompare(b.taskId));
  return entries.sort((a, b) => a.publishedPort - b.publishedPort || a.protocol.localeCompare(b.protocol));
}
