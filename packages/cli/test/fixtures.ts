import { DEFAULT_RESTART_POLICY, DEFAULT_STOP_GRACE_PERIOD_MS, LABEL_STACK, emptyPlacement, emptyResources, type Network, type NetworkSpec, type Node, type Service, type ServiceSpec, type Task, type TaskState } from '@shoal/common';

export const T0 = Date.parse('2024-05-01T12:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();
const meta = (version = 1, at = T0) => ({ version, createdAt: iso(at), updatedAt: iso(at) });

export function spec(name: string, over: Partial<ServiceSpec> = {}, stack?: string): ServiceSpec {
  return {
    annotations: { name, labels: stack ? { [LABEL_STACK]: stack } : {} },
    task: {
      container: { image: 'busybox:1', env: [], labels: {}, stopGracePeriodMs: DEFAULT_STOP_GRACE_PERIOD_MS, mounts: [] },
      resources: emptyResources(),
      restartPolicy: { ...DEFAULT_RESTART_POLICY },
      placement: emptyPlacement(),
      networks: [],
      forceUpdate: 0,
    },
    mode: { kind: 'replicated', replicas: 1 },
    endpoint: { ports: [] },
    ...over,
  };
}

export function service(id: string, s: ServiceSpec, version = 1): Service {
  return { id, meta: meta(version), spec: s };
}

export function node(id: string, hostname: string, over: Partial<Node> = {}): Node {
  return {
    id,
    meta: meta(),
    spec: { annotations: { name: '', labels: {} }, role: 'worker', availability: 'active' },
    description: { hostname, platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 2e9, memoryBytes: 2 * 1024 ** 3 }, engineVersion: '20.10.24', engineLabels: {} },
    status: { state: 'ready', message: '', addr: '10.0.0.1' },
    ...over,
  };
}

export interface TaskOpts {
  slot?: number;
  nodeId?: string;
  state?: TaskState;
  desired?: TaskState;
  createdAt?: number;
  at?: number;
  err?: string;
}

export function task(id: string, svc: Service, o: TaskOpts = {}): Task {
  return {
    id,
    meta: meta(1, o.createdAt ?? T0),
    serviceId: svc.id,
    slot: o.slot ?? 1,
    nodeId: o.nodeId ?? 'node1',
    spec: structuredClone(svc.spec.task),
    serviceAnnotations: structuredClone(svc.spec.annotations),
    endpointPorts: structuredClone(svc.spec.endpoint.ports),
    desiredState: o.desired ?? 'running',
    status: { state: o.state ?? 'running', timestamp: iso(o.at ?? T0), message: '', ...(o.err ? { err: o.err } : {}) },
  };
}

export function networkSpec(name: string, over: Partial<NetworkSpec> = {}): NetworkSpec {
  return { annotations: { name, labels: {} }, driver: 'overlay', attachable: false, internal: false, ingress: false, driverOpts: {}, ipam: [], ...over };
}

/** A stored network with an allocation (10.0.N.0/24, N from the order of creation in a test). */
export function network(id: string, s: NetworkSpec, n = 1): Network {
  return { id, meta: meta(), spec: s, allocation: { subnet: `10.0.${n}.0/24`, gateway: `10.0.${n}.1`, vxlanId: 0x400000 + n } };
}
