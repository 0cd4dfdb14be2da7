import type { Rng, Task } from '@shoal/common';
import { randomInt } from '@shoal/common';
import { nodeAttribute } from './constraint.js';
import { serviceTaskCount, type NodeInfo } from './node-info.js';

/** Accepts "node.labels.zone" and Docker's "spread=node.labels.zone". */
function spreadKey(preference: string): string {
  return preference.startsWith('spread=') ? preference.slice('spread='.length) : preference;
}

/**
 * Keeps the nodes whose value of the label holds the fewest tasks of the service. Nodes without
 * the label form a group of their own, as in Docker.
 */
function spreadOver(candidates: NodeInfo[], preference: string, serviceId: string): NodeInfo[] {
  const key = spreadKey(preference);
  const groups = new Map<string, { count: number; nodes: NodeInfo[] }>();
  for (const info of candidates) {
    const value = nodeAttribute(info.node, key) ?? '';
    const group = groups.get(value) ?? { count: 0, nodes: [] };
    group.count += serviceTaskCount(info, serviceId);
    group.nodes.push(info);
    groups.set(value, group);
  }
  const least = Math.min(...[...groups.values()].map((g) => g.count));
  return [...groups.values()].filter((g) => g.count === least).flatMap((g) => g.nodes);
}

/** The nodes with the fewest tasks of the service, and among those the fewest tasks; one pass. */
function fewestTasks(candidates: readonly NodeInfo[], serviceId: string): NodeInfo[] {
  let best: NodeInfo[] = [];
  let leastOfService = Infinity;
  let leastOverall = Infinity;
  for (const info of candidates) {
    const ofService = serviceTaskCount(info, serviceId);
    const overall = info.tasks.length;
    if (ofService > leastOfService || (ofService === leastOfService && overall > leastOverall)) continue;
    if (ofService < leastOfService || overall < leastOverall) {
      best = [];
      leastOfService = ofService;
      leastOverall = overall;
    }
    best.push(info);
  }
  return best;
}

/**
 * Picks the node for a task among eligible ones: spread preferences in order, then the fewest
 * tasks of this service, then the fewest tasks overall; the Rng breaks the remaining ties.
 */
export function pickNode(task: Task, eligible: readonly NodeInfo[], rng: Rng): NodeInfo | undefined {
  if (eligible.length === 0) return undefined;
  let candidates = [...eligible];
  for (const preference of task.spec.placement.spreadPreferences) {
    candidates = spreadOver(candidates, preference, task.serviceId);
  }
  candidates = leastLoaded(candidates, task.serviceId);
  return candidates[randomInt(rng, candidates.length)];
}

/**
 * The nodes `pickNode` chooses among for a task without spread preferences: the fewest tasks of
 * the service, then the fewest overall, in ID order.
 */
export function leastLoaded(candidates: readonly NodeInfo[], serviceId: string): NodeInfo[] {
  // Linear when the candidates come in ID order already (scheduleTasks keeps them so).
  return fewestTasks(candidates, serviceId).sort((a, b) => (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0));
}
