import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources, type Task, type TaskState } from '@shoal/common';
import { ingressTable } from '../../src/dispatcher/ingress-table.js';

function task(id: string, state: TaskState, containerIp?: string, desiredState: TaskState = 'running'): Task {
  return {
    id,
    meta: { version: 1, createdAt: '', updatedAt: '' },
    serviceId: 's1',
    slot: 1,
    nodeId: 'n1',
    spec: {
      container: { image: 'hello', env: [], labels: {}, stopGracePeriodMs: 1000, mounts: [] },
      resources: emptyResources(),
      restartPolicy: DEFAULT_RESTART_POLICY,
      placement: emptyPlacement(),
      networks: [],
      forceUpdate: 0,
    },
    serviceAnnotations: { name: 'web', labels: {} },
    endpointPorts: [
      { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
      { protocol: 'tcp', targetPort: 81, publishedPort: 9000, publishMode: 'host' },
    ],
    desiredState,
    status: { state, timestamp: '', message: '', ...(containerIp ? { containerIp } : {}) },
  };
}

describe('ingressTable', () => {
  it('routes each ingress port to the running tasks meant to run, sorted, and ignores host ports', () => {
    const table = ingressTable([task('b', 'running', '10.0.0.2'), task('a', 'running', '10.0.0.1'), task('c', 'starting', '10.0.0.3'), task('d', 'running', '10.0.0.4', 'shutdown')]);
    expect(table).toEqual([
      {
        publishedPort: 8080,
        protocol: 'tcp',
        serviceId: 's1',
        backends: [
          { ip: '10.0.0.1', port: 80, taskId: 'a' },
          { ip: '10.0.0.2', port: 80, taskId: 'b' },
        ],
      },
    ]);
  });

  it('keeps a port with no backend yet while its tasks are meant to run, and drops it when none is', () => {
    expect(ingressTable([task('a', 'starting')])).toEqual([{ publishedPort: 8080, protocol: 'tcp', serviceId: 's1', backends: [] }]);
    expect(ingressTable([task('a', 'shutdown', undefined, 'shutdown')])).toEqual([]);
  });
});
