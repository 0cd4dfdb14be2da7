import { describe, expect, it } from 'vitest';
import { defaultFilters } from '../../src/scheduler/filters/index.js';
import { buildNodeInfos } from '../../src/scheduler/node-info.js';
import { explainFailures, runPipeline } from '../../src/scheduler/pipeline.js';
import { makeNode, makeSpec, makeTask } from './fixtures.js';

describe('pipeline', () => {
  it('counts each node against the first filter it fails and explains most failures first', () => {
    const spec = makeSpec((s) => {
      s.placement.constraints = ['node.labels.zone==eu'];
      s.resources.reservations.memoryBytes = 6 * 2 ** 30;
    });
    const nodes = [
      makeNode('a', { labels: { zone: 'us' } }),
      makeNode('b', { labels: { zone: 'us' } }),
      makeNode('c', { labels: { zone: 'us' } }),
      makeNode('d', { labels: { zone: 'eu' }, memoryBytes: 4 * 2 ** 30 }),
    ];
    const task = makeTask('p', { nodeId: '', state: 'pending', spec });
    const result = runPipeline(defaultFilters(), task, buildNodeInfos(nodes, []));
    expect(result.eligible).toEqual([]);
    expect(explainFailures(result.failures)).toBe(
      'no suitable node (scheduling constraints not satisfied on 3 nodes; insufficient resources on 1 node)',
    );
  });

  it('says just "no suitable node" when there are no nodes', () => {
    const result = runPipeline(defaultFilters(), makeTask('p', { nodeId: '' }), []);
    expect(explainFailures(result.failures)).toBe('no suitable node');
  });

  it('lets through the nodes that pass every filter', () => {
    const nodes = [makeNode('a'), makeNode('b', { state: 'down' }), makeNode('c', { availability: 'drain' })];
    const result = runPipeline(defaultFilters(), makeTask('p', { nodeId: '' }), buildNodeInfos(nodes, []));
    expect(result.eligible.map((i) => i.node.id)).toEqual(['a']);
    expect(explainFailures(result.failures)).toBe('no suitable node (1 node not ready; 1 node not available for new tasks)');
  });
});
