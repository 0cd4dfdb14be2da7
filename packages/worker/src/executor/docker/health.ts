import type { TaskHealth } from '@shoal/common';

/** A container health event of Docker's event stream: which container, what verdict. */
export interface HealthEvent {
  containerId: string;
  health: TaskHealth;
}

/** Docker's State.Health.Status (or an event's "health_status: X") as a task's health; "none" is none. */
export function taskHealthOf(status: string | undefined): TaskHealth | undefined {
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : undefined;
}

/** One JSON line of `GET /events`, when it is a container's health_status. */
export function parseHealthEvent(line: string): HealthEvent | undefined {
  let ev: { Type?: unknown; Action?: unknown; id?: unknown; Actor?: { ID?: unknown } };
  try {
    ev = JSON.parse(line) as typeof ev;
  } catch {
    return undefined;
  }
  if (ev.Type !== 'container' || typeof ev.Action !== 'string' || !ev.Action.startsWith('health_status')) return undefined;
  const id = typeof ev.Actor?.ID === 'string' ? ev.Actor.ID : typeof ev.id === 'string' ? ev.id : undefined;
  const health = taskHealthOf(ev.Action.slice(ev.Action.indexOf(':') + 1).trim());
  return id && health ? { containerId: id, health } : undefined;
}

/** Splits a byte stream of newline-separated JSON into lines; a line longer than maxBytes is dropped. */
export class LineSplitter {
  private buf = '';

  constructor(private readonly maxBytes = 64 * 1024) {}

  push(chunk: string): string[] {
    this.buf += chunk;
    const parts = this.buf.split('\n');
    this.buf = parts.pop() ?? '';
    if (this.buf.length > this.maxBytes) this.buf = '';
    return parts.filter((l) => l.trim().length > 0);
  }
}
