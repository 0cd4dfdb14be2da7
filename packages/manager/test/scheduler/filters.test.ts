import { describe, expect, it } from 'vitest';
import {
  availabilityFilter,
  constraintFilter,
  hostPortFilter,
  maxReplicasFilter,
  platformFilter,
  readyFilter,
  resourceFilter,
} from '../../src/scheduler/filters/index.js';
import { buildNodeInfos, type NodeInfo } from '../../src/scheduler/node-info.js';
import type { Filter } from '../../src/scheduler/filter.js';
import type { Node, Task } from '@shoal/common';
import { hostPort, makeNode, makeSpec, makeTask } from './fixtures.js';

const GiB = 2 ** 30;

function info(node: Node, tasks: Task[] = []): NodeInfo {
  return buildNodeInfos([node], tasks)[0]!;
}

function pending(o: Parameters<typeof makeTask>[1] = {}): Task {
  return makeTask('p', { nodeId: '', state: 'pending', ...o });
}

function check(filter: Filter, task: Task, nodeInfo: NodeInfo): boolean {
  expect(filter.setTask(task)).toBe(true);
  return filter.check(nodeInfo);
}

describe('filters', () => {
  it('ready: only ready nodes', () => {
    const f = readyFilter();
    expect(check(f, pending(), info(makeNode('a')))).toBe(true);
    expect(check(f, pending(), info(makeNode('a', { state: 'down' })))).toBe(false);
    expect(f.explain(2)).toBe('2 nodes not ready');
  });

  it('availability: active only', () => {
    const f = availabilityFilter();
    expect(check(f, pending(), info(makeNode('a')))).toBe(true);
    expect(check(f, pending(), info(makeNode('a', { availability: 'pause' })))).toBe(false);
    expect(check(f, pending(), info(makeNode('a', { availability: 'drain' })))).toBe(false);
    expect(f.explain(1)).toBe('1 node not available for new tasks');
  });

  it('constraints: not relevant without constraints; parsed into a matcher', () => {
    const f = constraintFilter();
    expect(f.setTask(pending())).toBe(false);
    const task = pending({ spec: makeSpec((s) => (s.placement.constraints = ['node.labels.zone==eu'])) });
    expect(check(f, task, info(makeNode('a', { labels: { zone: 'eu' } })))).toBe(true);
    expect(check(f, task, info(makeNode('b', { labels: { zone: 'us' } })))).toBe(false);
    expect(f.explain(3)).toBe('scheduling constraints not satisfied on 3 nodes');
  });

  it('constraints: an unparsable constraint matches no node', () => {
    const f = constraintFilter();
    const task = pending({ spec: makeSpec((s) => (s.placement.constraints = ['bogus'])) });
    expect(check(f, task, info(makeNode('a')))).toBe(false);
  });

  it('resources: reservations against free resources', () => {
    const f = resourceFilter();
    expect(f.setTask(pending())).toBe(false);
    const want = (mem: number) => makeSpec((s) => (s.resources.reservations = { nanoCpus: 1e9, memoryBytes: mem * GiB }));
    const node = makeNode('a', { nanoCpus: 2e9, memoryBytes: 4 * GiB });
    const running = makeTask('t1', { nodeId: 'a', spec: want(3) });
    expect(check(f, pending({ spec: want(1) }), info(node, [running]))).toBe(true);
    expect(check(f, pending({ spec: want(2) }), info(node, [running]))).toBe(false);
    const stopped = makeTask('t2', { nodeId: 'a', spec: want(3), state: 'failed' });
    expect(check(f, pending({ spec: want(2) }), info(node, [stopped]))).toBe(true);
    expect(f.explain(1)).toBe('insufficient resources on 1 node');
  });

  it('platform: any listed platform, arch aliases understood', () => {
    const f = platformFilter();
    expect(f.setTask(pending())).toBe(false);
    const task = pending({ spec: makeSpec((s) => (s.placement.platforms = [{ os: 'linux', architecture: 'amd64' }])) });
    expect(check(f, task, info(makeNode('a', { arch: 'x86_64' })))).toBe(true);
    expect(check(f, task, info(makeNode('b', { arch: 'aarch64' })))).toBe(false);
    expect(f.explain(2)).toBe('unsupported platform on 2 nodes');
  });

  it('host ports: a published host port once per node', () => {
    const f = hostPortFilter();
    expect(f.setTask(pending())).toBe(false);
    const node = makeNode('a');
    const taken = makeTask('t1', { nodeId: 'a', ports: [hostPort(8080)] });
    expect(check(f, pending({ ports: [hostPort(8080)] }), info(node, [taken]))).toBe(false);
    expect(check(f, pending({ ports: [hostPort(8081)] }), info(node, [taken]))).toBe(true);
    const leaving = makeTask('t2', { nodeId: 'a', ports: [hostPort(8080)], desiredState: 'shutdown' });
    expect(check(f, pending({ ports: [hostPort(8080)] }), info(node, [leaving]))).toBe(true);
    expect(f.explain(1)).toBe('host-mode port already in use on 1 node');
  });

  it('max replicas per node: counts the service only', () => {
    const f = maxReplicasFilter();
    expect(f.setTask(pending())).toBe(false);
    const task = pending({ spec: makeSpec((s) => (s.placement.maxReplicasPerNode = 1)) });
    const node = makeNode('a');
    expect(check(f, task, info(node, [makeTask('o', { nodeId: 'a', serviceId: 'other' })]))).toBe(true);
    expect(check(f, task, info(node, [makeTask('t', { nodeId: 'a' })]))).toBe(false);
    expect(f.explain(2)).toBe('max replicas per node limit exceeded on 2 nodes');
  });
});
