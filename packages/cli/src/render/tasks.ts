import type { Task } from '@shoal/common';
import { ago, capitalize, shortId } from './human.js';
import type { Column, Listing } from './listing.js';
import { formatPorts } from './services.js';

/** Docker's limit on the ERROR column before it is cut with an ellipsis. */
export const MAX_ERR_LENGTH = 30;

export interface TaskRow {
  task: Task;
  /** `svc.1` for the newest task of a slot, ` \_ svc.1` for the older ones below it. */
  name: string;
  node: string;
}

function slotKey(t: Task): string {
  return t.slot > 0 ? String(t.slot).padStart(10, '0') : `~${t.nodeId}`;
}

function baseName(t: Task, noTrunc: boolean): string {
  const svc = t.serviceAnnotations.name;
  if (t.slot > 0) return `${svc}.${t.slot}`;
  return `${svc}.${noTrunc ? t.nodeId : shortId(t.nodeId)}`;
}

const time = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

/**
 * Tasks grouped by service and slot (global: node), newest first within a group; the older tasks
 * of a slot are its history and are drawn below it with ` \_ `, as `docker service ps` does.
 */
export function taskRows(tasks: readonly Task[], hostnames: ReadonlyMap<string, string>, noTrunc = false): TaskRow[] {
  const sorted = [...tasks].sort(
    (a, b) =>
      a.serviceAnnotations.name.localeCompare(b.serviceAnnotations.name) ||
      slotKey(a).localeCompare(slotKey(b)) ||
      time(b.meta.createdAt) - time(a.meta.createdAt) ||
      (a.id < b.id ? -1 : 1),
  );
  let previous = '';
  return sorted.map((task) => {
    const group = `${task.serviceId}/${slotKey(task)}`;
    const name = group === previous ? ` \\_ ${baseName(task, noTrunc)}` : baseName(task, noTrunc);
    previous = group;
    return { task, name, node: hostnames.get(task.nodeId) ?? '' };
  });
}

/** The ERROR cell: quoted, cut to 30 characters with an ellipsis unless --no-trunc. */
export function errorCell(err: string | undefined, noTrunc: boolean): string {
  if (!err) return '';
  const chars = [...err];
  const text = !noTrunc && chars.length > MAX_ERR_LENGTH ? `${chars.slice(0, MAX_ERR_LENGTH - 1).join('')}…` : err;
  return `"${text}"`;
}

/** The image without its digest unless --no-trunc (`busybox:1@sha256:...` -> `busybox:1`). */
export function imageCell(image: string, noTrunc: boolean): string {
  return noTrunc ? image : image.replace(/@sha256:[0-9a-f]+$/, '');
}

/** `Running 5 seconds ago`, with the healthcheck's verdict where the task has one: `Running 5 seconds ago (healthy)`. */
export function currentState(task: Task, now: number): string {
  const state = `${capitalize(task.status.state)} ${ago(task.status.timestamp, now)}`.trimEnd();
  return task.status.health ? `${state} (${task.status.health})` : state;
}

export function taskListing(now: number, noTrunc: boolean): Listing<TaskRow> {
  const columns: Column<TaskRow>[] = [
    { header: 'ID', key: 'ID', value: (r) => (noTrunc ? r.task.id : shortId(r.task.id)) },
    { header: 'NAME', key: 'Name', value: (r) => r.name },
    { header: 'IMAGE', key: 'Image', value: (r) => imageCell(r.task.spec.container.image, noTrunc) },
    { header: 'NODE', key: 'Node', value: (r) => r.node },
    { header: 'DESIRED STATE', key: 'DesiredState', value: (r) => capitalize(r.task.desiredState) },
    { header: 'CURRENT STATE', key: 'CurrentState', value: (r) => currentState(r.task, now) },
    { header: 'ERROR', key: 'Error', value: (r) => errorCell(r.task.status.err, noTrunc) },
    { header: 'PORTS', key: 'Ports', value: (r) => formatPorts(r.task.endpointPorts.filter((p) => p.publishMode === 'host')) },
  ];
  return { columns, id: (r) => r.task.id };
}
