import { isTerminalState, type Task } from '@shoal/common';
import { neverAssigned, newestFirst } from './task-facts.js';

export interface HistoryInput {
  tasks: readonly Task[];
  /** The cluster's taskHistoryRetentionLimit; negative keeps everything. */
  retentionLimit: number;
}

/** Dead for good: meant to stay stopped, and stopped (or never placed). */
export function isHistory(task: Task): boolean {
  return isTerminalState(task.desiredState) && (isTerminalState(task.status.state) || neverAssigned(task));
}

function historyKey(task: Task): string {
  return task.slot > 0 ? `${task.serviceId}/slot/${task.slot}` : `${task.serviceId}/node/${task.nodeId}`;
}

/**
 * The IDs of history tasks to delete: per slot (per node for global services) only the newest
 * `retentionLimit` dead tasks are kept.
 */
export function pruneTaskHistory(input: HistoryInput): string[] {
  if (input.retentionLimit < 0) return [];
  const groups = new Map<string, Task[]>();
  for (const task of input.tasks.filter(isHistory)) {
    const list = groups.get(historyKey(task)) ?? [];
    list.push(task);
    groups.set(historyKey(task), list);
  }
  const remove: string[] = [];
  for (const list of groups.values()) {
    remove.push(...list.sort(newestFirst).slice(input.retentionLimit).map((t) => t.id));
  }
  return remove;
}
