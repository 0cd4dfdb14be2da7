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

function keepMinimum(candidates: NodeInfo[], score: (info: NodeInfo) => number): NodeInfo[] {
  const least = Math.min(...candidates.map(score));
  return candidates.filter((info) => score(info) === least);
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
  candidates = keepMinimum(candidates, (info) => serviceTaskCount(info, task.serviceId));
  candidates = keepMinimum(candidates, (info) => info.tasks.length);
  candidates.sort((a, b) => (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0));
  return candidates[randomInt(rng, candidates.length)];
}
