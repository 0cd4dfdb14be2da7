import {
  DEFAULT_RESTART_POLICY,
  emptyPlacement,
  emptyResources,
  manualClock,
  type Node,
  type NodeAvailability,
  type NodeRole,
  type NodeState,
  type PortConfig,
  type Service,
  type Task,
  type TaskSpec,
  type TaskState,
} from '@shoal/common';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Proposer, StoreAction } from '../../src/store/types.js';

export const iso = (ms: number) => new Date(ms).toISOString();

export interface NodeOptions {
  hostname?: string;
  role?: NodeRole;
  availability?: NodeAvailability;
  state?: NodeState;
  labels?: Record<string, string>;
  engineLabels?: Record<string, string>;
  nanoCpus?: number;
  memoryBytes?: number;
  os?: string;
  arch?: string;
}

export function makeNode(id: string, o: NodeOptions = {}): Node {
  return {
    id,
    meta: { version: 1, createdAt: iso(0), updatedAt: iso(0) },
    spec: { annotations: { name: '', labels: o.labels ?? {} }, role: o.role ?? 'worker', availability: o.availability ?? 'active' },
    description: {
      hostname: o.hostname ?? `host-${id}`,
      platform: { os: o.os ?? 'linux', architecture: o.arch ?? 'x86_64' },
      resources: { nanoCpus: o.nanoCpus ?? 4e9, memoryBytes: o.memoryBytes ?? 8 * 2 ** 30 },
      engineVersion: '20.10',
      engineLabels: o.engineLabels ?? {},
    },
    status: { state: o.state ?? 'ready', message: '', addr: '10.0.0.1' },
  };
}

export function makeSpec(change: (spec: TaskSpec) => void = () => {}): TaskSpec {
  const spec: TaskSpec = {
    container: { image: 'busybox:1', env: [], labels: {}, stopGracePeriodMs: 10_000, mounts: [] },
    resources: emptyResources(),
    restartPolicy: { ...DEFAULT_RESTART_POLICY },
    placement: emptyPlacement(),
    networks: [],
    forceUpdate: 0,
  };
  change(spec);
  return spec;
}

export function makeService(id: string, o: { replicas?: number; global?: boolean; spec?: TaskSpec; ports?: PortConfig[] } = {}): Service {
  return {
    id,
    meta: { version: 1, createdAt: iso(0), updatedAt: iso(0) },
    spec: {
      annotations: { name: `svc-${id}`, labels: {} },
      task: o.spec ?? makeSpec(),
      mode: o.global ? { kind: 'global' } : { kind: 'replicated', replicas: o.replicas ?? 1 },
      endpoint: { ports: o.ports ?? [] },
    },
  };
}

export interface TaskOptions {
  serviceId?: string;
  slot?: number;
  nodeId?: string;
  desiredState?: TaskState;
  state?: TaskState;
  spec?: TaskSpec;
  ports?: PortConfig[];
  createdAt?: number;
  /** When the task reached its state. */
  at?: number;
  exitCode?: number;
  err?: string;
}

export function makeTask(id: string, o: TaskOptions = {}): Task {
  const status: Task['status'] = { state: o.state ?? 'running', timestamp: iso(o.at ?? o.createdAt ?? 0), message: '' };
  if (o.exitCode !== undefined) status.exitCode = o.exitCode;
  if (o.err !== undefined) status.err = o.err;
  return {
    id,
    meta: { version: 1, createdAt: iso(o.createdAt ?? 0), updatedAt: iso(o.at ?? o.createdAt ?? 0) },
    serviceId: o.serviceId ?? 's1',
    slot: o.slot ?? 1,
    nodeId: o.nodeId ?? 'n1',
    spec: o.spec ?? makeSpec(),
    serviceAnnotations: { name: `svc-${o.serviceId ?? 's1'}`, labels: {} },
    endpointPorts: o.ports ?? [],
    desiredState: o.desiredState ?? 'running',
    status,
  };
}

export function hostPort(port: number): PortConfig {
  return { protocol: 'tcp', targetPort: 80, publishedPort: port, publishMode: 'host' };
}

/**
 * A MemoryStore whose proposer applies each transaction at once as its own entry, stamped with
 * the manual clock's time.
 */
export function localStore(startMs = 1_000_000) {
  const clock = manualClock(startMs);
  const store = new MemoryStore();
  let index = 0;
  const proposer: Proposer = {
    async propose(actions: StoreAction[]) {
      const [result] = store.applyEntry({ index: ++index, time: clock.now(), transactions: [actions] });
      return result!;
    },
    async close() {},
  };
  store.setProposer(proposer);
  return { store, clock };
}

/** A schedule hook that queues callbacks until the test runs them. */
export function manualSchedule() {
  const queue: { at: number; fn: () => void; cancelled: boolean }[] = [];
  return {
    queue,
    hook(fn: () => void) {
      queue.push({ at: 0, fn, cancelled: false });
    },
    delayed(delayMs: number, fn: () => void, now = 0) {
      const entry = { at: now + delayMs, fn, cancelled: false };
      queue.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
    /** Runs every callback due at `now`, including ones they queue. */
    runDue(now = Infinity) {
      for (;;) {
        const i = queue.findIndex((e) => !e.cancelled && e.at <= now);
        if (i < 0) return;
        const [entry] = queue.splice(i, 1);
        entry!.fn();
      }
    },
  };
}
