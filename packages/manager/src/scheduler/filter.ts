import type { Task } from '@shoal/common';
import type { NodeInfo } from './node-info.js';

/**
 * One feasibility check of the scheduling pipeline. `setTask` prepares the filter for a task and
 * says whether it applies at all (false: skip it for this task); `check` tells whether a node
 * passes; `explain` words the failures for "no suitable node (...)".
 */
export interface Filter {
  readonly name: string;
  setTask(task: Task): boolean;
  check(info: NodeInfo): boolean;
  explain(nodesFailed: number): string;
}

/** "1 node" or "3 nodes". */
export function countNodes(n: number): string {
  return n === 1 ? '1 node' : `${n} nodes`;
}
