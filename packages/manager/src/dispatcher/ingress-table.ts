import type { IngressEntry, Task } from '@shoal/common';

/** The routing mesh's table: each ingress-published port and the running tasks behind it. */
export function ingressTable(tasks: Task[]): IngressEntry[] {
  const byPort = new Map<string, IngressEntry>();
  for (const task of tasks) {
    for (const port of task.endpointPorts) {
      if (port.publishMode !== 'ingress' || port.publishedPort === 0) continue;
      const key = `${port.publishedPort}/${port.protocol}`;
      let entry = byPort.get(key);
      if (!entry) {
        entry = { publishedPort: port.publishedPort, protocol: port.protocol, serviceId: task.serviceId, backends: [] };
        byPort.set(key, entry);
      }
      if (isBackend(task)) entry.backends.push({ ip: task.status.containerIp!, port: port.targetPort, taskId: task.id });
    }
  }
  const entries = [...byPort.values()].filter((e) => e.backends.length > 0 || hasLiveTask(tasks, e));
  for (const e of entries) e.backends.sort((a, b) => a.taskId.localeCompare(b.taskId));
  return entries.sort((a, b) => a.publishedPort - b.publishedPort || a.protocol.localeCompare(b.protocol));
}

function isBackend(task: Task): boolean {
  return task.status.state === 'running' && task.desiredState === 'running' && !!task.status.containerIp;
}

/** A port stays in the table (answering nothing) while its service still has tasks meant to run. */
function hasLiveTask(tasks: Task[], entry: IngressEntry): boolean {
  return tasks.some(
    (t) => t.desiredState === 'running' && t.endpointPorts.some((p) => p.publishMode === 'ingress' && p.publishedPort === entry.publishedPort && p.protocol === entry.protocol),
  );
}
