import { isLaterState, isTerminalState, type Task, type TaskStatus } from '@shoal/common';

/**
 * Whether a status reported by a node may replace the stored one: only the node the task is on
 * may report (unknown tasks and other nodes' tasks are ignored), the state never moves backwards
 * (the same state may refresh details), and a task that ended stays as it ended.
 */
export function acceptStatus(task: Task | undefined, nodeId: string, status: TaskStatus): boolean {
  if (!task || task.nodeId !== nodeId) return false;
  if (isTerminalState(task.status.state)) return false;
  if (status.state === task.status.state) return JSON.stringify(status) !== JSON.stringify(task.status);
  return isLaterState(status.state, task.status.state);
}
