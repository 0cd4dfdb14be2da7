import {
  LABEL_NODE_ID,
  LABEL_SERVICE_ID,
  LABEL_SERVICE_NAME,
  LABEL_STACK,
  LABEL_TASK_ID,
  type Healthcheck,
  type Mount,
  type PortConfig,
  type Task,
} from '@shoal/common';

/** Label that marks the Docker networks shoal created. */
export const LABEL_MANAGED = 'io.shoal.managed';

/** The subset of the Engine API's `POST /containers/create` body that shoal sets. */
export interface CreateContainerBody {
  name: string;
  Image: string;
  Env: string[];
  Labels: Record<string, string>;
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  User?: string;
  Hostname?: string;
  StopSignal?: string;
  StopTimeout: number;
  Healthcheck?: DockerHealthcheck;
  ExposedPorts?: Record<string, Record<string, never>>;
  HostConfig: DockerHostConfig;
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases: string[] }> };
}

export interface DockerHealthcheck {
  Test: string[];
  Interval: number;
  Timeout: number;
  Retries: number;
  StartPeriod: number;
}

export interface DockerMount {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source: string;
  Target: string;
  ReadOnly: boolean;
  TmpfsOptions?: { SizeBytes: number };
}

export interface DockerHostConfig {
  NetworkMode: string;
  Memory?: number;
  NanoCpus?: number;
  Init?: boolean;
  Mounts: DockerMount[];
  PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>;
}

/** Swarm's naming: `SERVICE.SLOT.TASKID`, or `SERVICE.NODEID.TASKID` for global services. */
export function containerName(task: Task): string {
  const middle = task.slot > 0 ? String(task.slot) : task.nodeId;
  return `${task.serviceAnnotations.name}.${middle}.${task.id}`;
}

/** The user's labels plus shoal's own (DESIGN §5); shoal's win on a clash. */
export function containerLabels(task: Task): Record<string, string> {
  const labels: Record<string, string> = {
    ...task.spec.container.labels,
    [LABEL_TASK_ID]: task.id,
    [LABEL_SERVICE_ID]: task.serviceId,
    [LABEL_SERVICE_NAME]: task.serviceAnnotations.name,
    [LABEL_NODE_ID]: task.nodeId,
  };
  const stack = task.serviceAnnotations.labels[LABEL_STACK];
  if (stack !== undefined) labels[LABEL_STACK] = stack;
  return labels;
}

const MS_TO_NS = 1_000_000;

function healthcheck(h: Healthcheck): DockerHealthcheck {
  return {
    Test: h.test,
    Interval: h.intervalMs * MS_TO_NS,
    Timeout: h.timeoutMs * MS_TO_NS,
    Retries: h.retries,
    StartPeriod: h.startPeriodMs * MS_TO_NS,
  };
}

function dockerMount(m: Mount): DockerMount {
  if (m.type === 'tmpfs') {
    const out: DockerMount = { Type: 'tmpfs', Source: '', Target: m.target, ReadOnly: m.readOnly };
    if (m.tmpfsSizeBytes) out.TmpfsOptions = { SizeBytes: m.tmpfsSizeBytes };
    return out;
  }
  return { Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly };
}

function hostPorts(ports: PortConfig[]): Pick<CreateContainerBody, 'ExposedPorts'> & Pick<DockerHostConfig, 'PortBindings'> {
  const host = ports.filter((p) => p.publishMode === 'host');
  if (host.length === 0) return {};
  const ExposedPorts: Record<string, Record<string, never>> = {};
  const PortBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of host) {
    const key = `${p.targetPort}/${p.protocol}`;
    ExposedPorts[key] = {};
    const hostPort = p.publishedPort > 0 ? String(p.publishedPort) : '';
    (PortBindings[key] ??= []).push({ HostIp: '', HostPort: hostPort });
  }
  return { ExposedPorts, PortBindings };
}

/** The network the container is created on: the first attachment, else Docker's default bridge. */
export function primaryNetwork(task: Task): string {
  return task.spec.networks[0]?.target ?? 'bridge';
}

function hostConfig(task: Task, bindings: DockerHostConfig['PortBindings']): DockerHostConfig {
  const { limits } = task.spec.resources;
  const hc: DockerHostConfig = { NetworkMode: primaryNetwork(task), Mounts: task.spec.container.mounts.map(dockerMount) };
  if (limits.memoryBytes > 0) hc.Memory = limits.memoryBytes;
  if (limits.nanoCpus > 0) hc.NanoCpus = limits.nanoCpus;
  if (task.spec.container.init !== undefined) hc.Init = task.spec.container.init;
  if (bindings) hc.PortBindings = bindings;
  return hc;
}

/** The `POST /containers/create` body for a task (pure: no Docker calls). */
export function createContainerBody(task: Task): CreateContainerBody {
  const c = task.spec.container;
  const { ExposedPorts, PortBindings } = hostPorts(task.endpointPorts);
  const body: CreateContainerBody = {
    name: containerName(task),
    Image: c.image,
    Env: c.env,
    Labels: containerLabels(task),
    StopTimeout: Math.ceil(c.stopGracePeriodMs / 1000),
    HostConfig: hostConfig(task, PortBindings),
  };
  if (c.entrypoint) body.Entrypoint = c.entrypoint;
  if (c.command) body.Cmd = c.command;
  if (c.dir) body.WorkingDir = c.dir;
  if (c.user) body.User = c.user;
  if (c.hostname) body.Hostname = c.hostname;
  if (c.stopSignal) body.StopSignal = c.stopSignal;
  if (c.healthcheck) body.Healthcheck = healthcheck(c.healthcheck);
  if (ExposedPorts) body.ExposedPorts = ExposedPorts;
  const first = task.spec.networks[0];
  if (first) body.NetworkingConfig = { EndpointsConfig: { [first.target]: { Aliases: first.aliases } } };
  return body;
}
