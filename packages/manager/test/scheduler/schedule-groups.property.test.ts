import fc from 'fast-check';
import { seededRng, type Task } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { defaultFilters } from '../../src/scheduler/filters/index.js';
import { buildNodeInfos, withTask } from '../../src/scheduler/node-info.js';
import { explainFailures, runPipeline } from '../../src/scheduler/pipeline.js';
import { pickNode } from '../../src/scheduler/rank.js';
import { scheduleTasks, type ScheduleInput, type ScheduleResult } from '../../src/scheduler/schedule-tasks.js';
import { hostPort, makeNode, makeSpec, makeTask } from './fixtures.js';

/** The plain algorithm: every task runs the whole pipeline over every node. */
function reference(input: ScheduleInput): ScheduleResult {
  const filters = defaultFilters();
  const infos = new Map(buildNodeInfos(input.nodes, input.allTasks ?? []).map((i) => [i.node.id, i]));
  const result: ScheduleResult = { assignments: [], unschedulable: [] };
  for (const task of input.tasks) {
    const { eligible, failures } = runPipeline(filters, task, [...infos.values()]);
    const chosen = pickNode(task, eligible, input.rng);
    if (!chosen) {
      result.unschedulable.push({ taskId: task.id, reason: explainFailures(failures) });
      continue;
    }
    infos.set(chosen.node.id, withTask(chosen, { ...task, nodeId: chosen.node.id, status: { ...task.status, state: 'assigned' } }));
    result.assignments.push({ taskId: task.id, nodeId: chosen.node.id });
  }
  return result;
}

const node = fc.record({ ready: fc.boolean(), zone: fc.constantFrom('a', 'b'), cpus: fc.integer({ min: 1, max: 4 }) });
const service = fc.record({ zone: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }), cpu: fc.integer({ min: 0, max: 2 }), max: fc.integer({ min: 0, max: 2 }), port: fc.boolean(), spread: fc.boolean() });

describe('scheduleTasks by groups of one shape', () => {
  it('places exactly as running the pipeline for every task would', () => {
    fc.assert(
      fc.property(fc.array(node, { minLength: 0, maxLength: 6 }), fc.array(fc.tuple(service, fc.integer({ min: 1, max: 6 })), { minLength: 1, maxLength: 3 }), fc.integer(), (nodes, services, seed) => {
        const nodeList = nodes.map((n, i) => makeNode(`n${i}`, { state: n.ready ? 'ready' : 'down', labels: { zone: n.zone }, nanoCpus: n.cpus * 1e9 }));
        const tasks: Task[] = [];
        services.forEach(([s, count], k) => {
          const spec = makeSpec((sp) => {
            if (s.zone) sp.placement.constraints = [`node.labels.zone==${s.zone}`];
            sp.resources.reservations.nanoCpus = s.cpu * 1e9;
            sp.placement.maxReplicasPerNode = s.max;
            if (s.spread) sp.placement.spreadPreferences = ['node.labels.zone'];
          });
          for (let i = 1; i <= count; i++) tasks.push(makeTask(`s${k}-${i}`, { serviceId: `s${k}`, slot: i, nodeId: '', state: 'pending', spec, ports: s.port ? [hostPort(8000 + k)] : [] }));
        });
        const input = (): ScheduleInput => ({ tasks, nodes: nodeList, allTasks: tasks, rng: seededRng(seed) });
        expect(scheduleTasks(input())).toEqual(reference(input()));
      }),
    );
  });
});
