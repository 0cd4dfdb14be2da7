import type { Task } from '@shoal/common';
import type { Filter } from './filter.js';
import type { NodeInfo } from './node-info.js';

export interface FilterFailures {
  filter: Filter;
  nodesFailed: number;
}

export interface PipelineResult {
  eligible: NodeInfo[];
  failures: FilterFailures[];
}

/**
 * Runs the filters that apply to `task` over every node. A node is counted against the first
 * filter it fails, so the counts add up to the number of rejected nodes.
 */
export function runPipeline(filters: readonly Filter[], task: Task, infos: readonly NodeInfo[]): PipelineResult {
  const relevant = filters.filter((f) => f.setTask(task));
  const counts = new Map<Filter, number>();
  const eligible: NodeInfo[] = [];
  for (const info of infos) {
    const failed = relevant.find((f) => !f.check(info));
    if (failed) counts.set(failed, (counts.get(failed) ?? 0) + 1);
    else eligible.push(info);
  }
  const failures = relevant.filter((f) => counts.has(f)).map((filter) => ({ filter, nodesFailed: counts.get(filter)! }));
  return { eligible, failures };
}

/**
 * Docker's wording: `no suitable node (A on 3 nodes; B on 1 node)`, most failures first, or a bare
 * `no suitable node` when there was no node to try.
 */
export function explainFailures(failures: readonly FilterFailures[]): string {
  const parts = [...failures]
    .filter((f) => f.nodesFailed > 0)
    .sort((a, b) => b.nodesFailed - a.nodesFailed)
    .map((f) => f.filter.explain(f.nodesFailed));
  return parts.length === 0 ? 'no suitable node' : `no suitable node (${parts.join('; ')})`;
}
