import type { Task } from '@shoal/common';

/** Every task placed on the node, including dead ones kept as history (their containers stay). */
export function tasksForNode(tasks: Task[], nodeId: string): Task[] {
  return tasks.filter((t) => t.nodeId === nodeId && t.status.state !== 'pending' && t.status.state !== 'new');
}

export interface AssignmentDiff {
  updated: Task[];
  removed: string[];
}

/** What changed between two assignment sets, by task ID and version. */
export function diffAssignments(sent: Map<string, number>, next: Task[]): AssignmentDiff {
  const nextIds = new Set(next.map((t) => t.id));
  return {
    updated: next.filter((t) => sent.get(t.id) !== t.meta.version),
    removed: [...sent.keys()].filter((id) => !nextIds.has(id)),
  };
}

export function versionsOf(tasks: Task[]): Map<string, number> {
  return new Map(tasks.map((t) => [t.id, t.meta.version]));
}
