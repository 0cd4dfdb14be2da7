import {
  addressOf,
  macForAddress,
  LABEL_NODE_ID,
  LABEL_SERVICE_ID,
  LABEL_SERVICE_NAME,
  LABEL_STACK,
  LABEL_TASK_ID,
  type Healthcheck,
  type Mount,
  type PortConfig,
  type Task,
  type TaskNetworkAttachment,
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
  /** The MAC on the network of NetworkMode (Engine API < 1.44 reads it only here). */
  MacAddress?: string;
  NetworkingConfig?: { EndpointsConfig: Record<string, DockerEndpointConfig> };
}

/** A container's settings on one network (create's EndpointsConfig, or a connect). */
export interface DockerEndpointConfig {
  Aliases: string[];
  IPAMConfig?: { IPv4Address: string };
  MacAddress?: string;
}

/** Where a task joins an overlay network: its allocated address and the MAC that follows from it. */
export function overlayEndpoint(a: TaskNetworkAttachment): DockerEndpointConfig {
  const address = addressOf(a.address);
  return { Aliases: a.aliases, IPAMConfig: { IPv4Address: address }, MacAddress: macForAddress(address) };
}

/** The file shoald writes for the task's DNS, mounted over the container's /etc/resolv.conf. */
export const RESOLV_CONF_TARGET = '/etc/resolv.conf';

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

/** The network the container is created on: the first overlay attachment, else the first spec network, else Docker's default bridge. */
export function primaryNetwork(task: Task): string {
  return task.networks?.[0]?.name ?? task.spec.networks[0]?.target ?? 'bridge';
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

/** Joins the first overlay network at create (address, MAC, aliases) and mounts shoald's resolv.conf. */
function overlayNetworking(body: CreateContainerBody, first: TaskNetworkAttachment, resolvConf: string | undefined): void {
  const ep = overlayEndpoint(first);
  body.MacAddress = ep.MacAddress;
  body.NetworkingConfig = { EndpointsConfig: { [first.name]: ep } };
  const userMounted = body.HostConfig.Mounts.some((m) => m.Target === RESOLV_CONF_TARGET);
  if (resolvConf && !userMounted) body.HostConfig.Mounts.push({ Type: 'bind', Source: resolvConf, Target: RESOLV_CONF_TARGET, ReadOnly: true });
}

/**
 * The `POST /containers/create` body for a task (pure: no Docker calls). A task with overlay
 * attachments (`task.networks`) joins the first with its allocated address; `resolvConf` is the
 * path of the resolv.conf file shoald wrote for it.
 */
export function createContainerBody(task: Task, resolvConf?: string): CreateContainerBody {
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
  const overlay = task.networks?.[0];
  const first = task.spec.networks[0];
  if (overlay) overlayNetworking(body, overlay, resolvConf);
  else if (first) body.NetworkingConfig = { EndpointsConfig: { [first.target]: { Aliases: first.aliases } } };
  return body;
}
