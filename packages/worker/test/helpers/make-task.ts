import { DEFAULT_RESTART_POLICY, emptyPlacement, emptyResources, type Task, type TaskState } from '@shoal/common';

export function makeTask(id: string, over: { state?: TaskState; desired?: TaskState; nodeId?: string; image?: string } = {}): Task {
  return {
    id,
    meta: { version: 1, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z' },
    serviceId: 'svc1',
    slot: 1,
    nodeId: over.nodeId ?? 'node1',
    spec: {
      container: { image: over.image ?? 'shoal/hello:latest', env: [], labels: {}, stopGracePeriodMs: 1_000, mounts: [] },
      resources: emptyResources(),
      restartPolicy: DEFAULT_RESTART_POLICY,
      placement: emptyPlacement(),
      networks: [],
      forceUpdate: 0,
    },
    serviceAnnotations: { name: 'web', labels: {} },
    endpointPorts: [],
    desiredState: over.desired ?? 'running',
    status: { state: over.state ?? 'assigned', timestamp: '2024-01-01T00:00:00.000Z', message: '' },
  };
}

/** Resolves once `cond` holds, letting promises run in between (no timers). */
export async function until(cond: () => boolean, rounds = 1_000): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error('condition not reached');
}
