import { randomInt, type Node, type Rng, type Task } from '@shoal/common';
import type { Filter } from './filter.js';
import { defaultFilters } from './filters/index.js';
import { buildNodeInfos, withTask, type NodeInfo } from './node-info.js';
import { explainFailures, runPipeline } from './pipeline.js';
import { leastLoaded, pickNode } from './rank.js';

export interface ScheduleInput {
  /** Tasks to place (pending, not yet on a node), in the order they should be placed. */
  tasks: readonly Task[];
  nodes: readonly Node[];
  /** Every task in the store: those holding a place on a node count against it. */
  allTasks?: readonly Task[];
  /** Instead of `nodes` + `allTasks`: the nodes with the tasks holding a place on them. */
  nodeInfos?: readonly NodeInfo[];
  /** Stop after this many assignments (later tasks are left for the next round). */
  maxAssignments?: number;
  rng: Rng;
  /** A fresh filter set; defaults to `defaultFilters`. */
  filters?: () => Filter[];
}

export interface Assignment {
  taskId: string;
  nodeId: string;
}

export interface Unschedulable {
  taskId: string;
  /** "no suitable node (...)". */
  reason: string;
}

export interface ScheduleResult {
  assignments: Assignment[];
  unschedulable: Unschedulable[];
}

function nodeInfosOf(input: ScheduleInput): readonly NodeInfo[] {
  if (input.nodeInfos) return input.nodeInfos;
  const pendingIds = new Set(input.tasks.map((t) => t.id));
  const others = (input.allTasks ?? []).filter((t) => !pendingIds.has(t.id));
  return buildNodeInfos(input.nodes, others);
}

/**
 * Places tasks on nodes. Pure: the same input and Rng state give the same result. Each placed
 * task counts against its node for the tasks placed after it in the same round.
 */
export function scheduleTasks(input: ScheduleInput): ScheduleResult {
  const filters = (input.filters ?? defaultFilters)();
  const byId = (a: NodeInfo, b: NodeInfo) => (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0);
  const infos = new Map<string, NodeInfo>([...nodeInfosOf(input)].sort(byId).map((i) => [i.node.id, i]));
  const result: ScheduleResult = { assignments: [], unschedulable: [] };
  const max = input.maxAssignments ?? Infinity;
  let group: Group | undefined;
  for (const task of input.tasks) {
    if (result.assignments.length >= max) break;
    const shape = shapeOf(task);
    if (group?.shape !== shape) group = { shape, eligible: runPipeline(filters, task, [...infos.values()]).eligible, best: [] };
    const chosen = task.spec.placement.spreadPreferences.length > 0 ? pickNode(task, group.eligible, input.rng) : pickLeastLoaded(group, task, input.rng);
    if (!chosen) {
      const { failures } = runPipeline(filters, task, [...infos.values()]);
      result.unschedulable.push({ taskId: task.id, reason: explainFailures(failures) });
      continue;
    }
    const placed: Task = { ...task, nodeId: chosen.node.id, status: { ...task.status, state: 'assigned' } };
    const after = withTask(chosen, placed);
    infos.set(chosen.node.id, after);
    group.eligible = recheck(group.eligible, chosen, after, runPipeline(filters, task, [after]).eligible.length > 0);
    result.assignments.push({ taskId: task.id, nodeId: chosen.node.id });
  }
  return result;
}

/** A run of tasks of one shape: the nodes that pass for them, and (see pickLeastLoaded) the tied best. */
interface Group {
  shape: string;
  eligible: NodeInfo[];
  best: NodeInfo[];
}

/**
 * `pickNode` for a task without spread preferences, in a run of one service. A placement only
 * raises the chosen node's counts and changes no other node, so the nodes tied for the fewest
 * tasks stay tied and best until each has taken one: they are found once per round over the
 * eligible nodes, not once per task (the same choices, the same random draws).
 */
function pickLeastLoaded(group: Group, task: Task, rng: Rng): NodeInfo | undefined {
  if (group.best.length === 0) group.best = leastLoaded(group.eligible, task.serviceId);
  if (group.best.length === 0) return undefined;
  return group.best.splice(randomInt(rng, group.best.length), 1)[0];
}

/**
 * What the filters look at in a task: tasks of one shape pass on the same nodes, so a run of them
 * (replicas of one service) runs the pipeline over all nodes once, then re-checks only the node
 * each one was placed on (no other node changed).
 */
function shapeOf(task: Task): string {
  return JSON.stringify([task.serviceId, task.spec.placement, task.spec.resources.reservations, task.endpointPorts]);
}

/** The eligible nodes after `before` became `after`: replaced in place if it still passes, else dropped. */
function recheck(eligible: NodeInfo[], before: NodeInfo, after: NodeInfo, passes: boolean): NodeInfo[] {
  const at = eligible.indexOf(before);
  if (passes) eligible[at] = after;
  else eligible.splice(at, 1);
  return eligible;
}
