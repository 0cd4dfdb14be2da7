import { isLaterState, type Task, type TaskStatus } from '@shoal/common';

/**
 * Whether a status reported by a node may replace the stored one: only the node the task is on
 * may report, and the state never moves backwards (the same state may refresh details).
 */
export function acceptStatus(task: Task | undefined, nodeId: string, status: TaskStatus): boolean {
  if (!task || task.nodeId !== nodeId) return false;
  if (status.state === task.status.state) return JSON.stringify(status) !== JSON.stringify(task.status);
  return isLaterState(status.state, task.status.state);
}
