import type { HostPort } from './host-port.js';
import type { TaskState } from './task-state.js';
import type { EndpointMode, NodeIngressAttachment, TaskHealth, TaskNetworkAttachment, VirtualIp } from './network.js';

/** Bookkeeping that the store sets when it applies a write; never set by callers. */
export interface Meta {
  /** The log index of the entry that last changed the object. */
  version: number;
  /** ISO-8601 times chosen by the proposer and carried in the log entry. */
  createdAt: string;
  updatedAt: string;
}

export interface Annotations {
  name: string;
  labels: Record<string, string>;
}

export type NodeRole = 'manager' | 'worker';
export type NodeAvailability = 'active' | 'pause' | 'drain';
export type NodeState = 'unknown' | 'down' | 'ready' | 'disconnected';

export interface NodeSpec {
  /** annotations.labels are the node labels a user sets with `node update --label-add`. */
  annotations: Annotations;
  role: NodeRole;
  availability: NodeAvailability;
}

export interface Platform {
  os: string;
  architecture: string;
}

export interface Resources {
  nanoCpus: number;
  memoryBytes: number;
}

export interface NodeDescription {
  hostname: string;
  platform: Platform;
  resources: Resources;
  engineVersion: string;
  /** Labels of the container engine (docker info), usable as node.labels in Docker but kept apart here. */
  engineLabels: Record<string, string>;
  /** How this node's routing mesh works (issue 11); absent from agents that predate it. */
  ingress?: IngressReport;
}

export type IngressBackendName = 'nftables' | 'iptables' | 'ipvs';

/**
 * What a worker reports about its routing mesh at session open (`node inspect` shows it):
 * the backend it uses, whether the client's address reaches the tasks, and why not / why that
 * backend when it is not the first choice ("ipvs unavailable, using nftables").
 */
export interface IngressReport {
  backend: IngressBackendName;
  clientAddress: 'preserved' | 'snat';
  /** Empty when nothing needs saying; at most MAX_INGRESS_MESSAGE characters. */
  message: string;
}

export const MAX_INGRESS_MESSAGE = 512;

export interface NodeStatus {
  state: NodeState;
  message: string;
  /** The address the node was seen at. */
  addr: string;
}

export interface ManagerStatus {
  /** The manager's ID in the Raft group (0 until it has joined it). */
  raftId?: number;
  /** Filled in live by the control API from the leader's view; not meaningful in the store. */
  leader: boolean;
  reachability: 'reachable' | 'unreachable' | 'unknown';
  addr: string;
}

export interface Node {
  id: string;
  meta: Meta;
  spec: NodeSpec;
  description: NodeDescription;
  status: NodeStatus;
  managerStatus?: ManagerStatus;
  /** Ports host processes listen on, as the node last reported them (its agent, while connected). */
  hostPorts?: HostPort[];
  /**
   * The node's own place on the ingress network (issue 11), allocated by the leader once the node
   * is a member and an ingress network exists; freed when the node is removed.
   */
  ingress?: NodeIngressAttachment;
}

export type PortProtocol = 'tcp' | 'udp';
export type PublishMode = 'ingress' | 'host';

export interface PortConfig {
  protocol: PortProtocol;
  targetPort: number;
  /** 0: for ingress, the managers number it (30000-32767, as Docker) before storing; for host mode, "any". */
  publishedPort: number;
  publishMode: PublishMode;
}

/** Docker's range for ingress ports published without a number (`-p 80`, compose `"80"`). */
export const DYNAMIC_PORT_FIRST = 30_000;
export const DYNAMIC_PORT_LAST = 32_767;

/** A published port the managers numbered from the dynamic range (kept across updates only then). */
export function isDynamicPort(port: number): boolean {
  return port >= DYNAMIC_PORT_FIRST && port <= DYNAMIC_PORT_LAST;
}

export type MountType = 'bind' | 'volume' | 'tmpfs';

export interface Mount {
  type: MountType;
  /** Host path (bind), volume name (volume; empty for anonymous), unused for tmpfs. */
  source: string;
  target: string;
  readOnly: boolean;
  /** tmpfs size in bytes, 0 for the default. */
  tmpfsSizeBytes?: number;
}

export interface Healthcheck {
  /** Docker's form: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

export interface ContainerSpec {
  image: string;
  /** Overrides the image's ENTRYPOINT when set. */
  entrypoint?: string[];
  /** Overrides the image's CMD when set. */
  command?: string[];
  env: string[];
  labels: Record<string, string>;
  dir?: string;
  user?: string;
  hostname?: string;
  stopGracePeriodMs: number;
  stopSignal?: string;
  healthcheck?: Healthcheck;
  mounts: Mount[];
  init?: boolean;
}

export type RestartCondition = 'none' | 'on-failure' | 'any';

export interface RestartPolicy {
  condition: RestartCondition;
  delayMs: number;
  /** 0 means no limit. */
  maxAttempts: number;
  /** 0 means the attempts are counted over the task's whole life. */
  windowMs: number;
}

export interface Placement {
  constraints: string[];
  /** Spread preferences, e.g. "node.labels.zone". */
  spreadPreferences: string[];
  /** 0 means no limit. */
  maxReplicasPerNode: number;
  platforms: Platform[];
}

export interface TaskResources {
  limits: Resources;
  reservations: Resources;
}

export interface NetworkAttachment {
  /** The network's full name, e.g. "web_default". */
  target: string;
  aliases: string[];
}

export interface TaskSpec {
  container: ContainerSpec;
  resources: TaskResources;
  restartPolicy: RestartPolicy;
  placement: Placement;
  networks: NetworkAttachment[];
  /** Bumped to force a rolling replacement without other changes. */
  forceUpdate: number;
}

export type ServiceMode = { kind: 'replicated'; replicas: number } | { kind: 'global' };

export interface ServiceSpec {
  /** name is the full name (`STACK_SERVICE` for stack services); labels are deploy.labels. */
  annotations: Annotations;
  task: TaskSpec;
  mode: ServiceMode;
  /** `mode` absent means "vip" (services created before endpoint modes existed). */
  endpoint: { ports: PortConfig[]; mode?: EndpointMode };
}

export interface UpdateStatus {
  state: 'updating' | 'completed' | 'paused' | 'rollback_started' | 'rollback_completed';
  startedAt: string;
  completedAt?: string;
  message: string;
}

export interface Service {
  id: string;
  meta: Meta;
  spec: ServiceSpec;
  previousSpec?: ServiceSpec;
  updateStatus?: UpdateStatus;
  /** What the allocator gave the service: a virtual IP on each of its networks (mode vip). */
  endpoint?: { virtualIps: VirtualIp[] };
}

export interface TaskStatus {
  state: TaskState;
  /** ISO-8601 time of the last change of state. */
  timestamp: string;
  message: string;
  /** Set when the task failed or could not be scheduled: why. */
  err?: string;
  containerId?: string;
  exitCode?: number;
  /** The container's address on its first network, used as an ingress backend. */
  containerIp?: string;
  /** The healthcheck's verdict, for a task that has one (reported by its worker). */
  health?: TaskHealth;
}

export interface Task {
  id: string;
  meta: Meta;
  serviceId: string;
  /** Replica number (1-based) for replicated services; 0 for global services. */
  slot: number;
  /** Empty until the scheduler assigns the task. */
  nodeId: string;
  spec: TaskSpec;
  /** Service name and labels at the time the task was created. */
  serviceAnnotations: Annotations;
  /** Published ports of the service at the time the task was created. */
  endpointPorts: PortConfig[];
  desiredState: TaskState;
  status: TaskStatus;
  /**
   * The task's addresses, one per network in `spec.networks`, set by the allocator before the task
   * leaves NEW. Absent for tasks on no overlay network.
   */
  networks?: TaskNetworkAttachment[];
}

export interface ClusterSpec {
  annotations: Annotations;
  /** How many dead tasks to keep per slot (Docker's task-history-limit, default 5). */
  taskHistoryRetentionLimit: number;
  heartbeatPeriodMs: number;
  /** Lifetime of node certificates (Docker's --cert-expiry; default 90 days). */
  nodeCertLifetimeMs: number;
  /**
   * The most replicas one service may ask for (`swarm update --max-replicas`). Absent in clusters
   * created before the setting existed: `maxReplicasOf` gives the default then.
   */
  maxReplicas?: number;
  /**
   * Where network subnets come from (`swarm init --default-addr-pool`, repeatable) and their
   * size (`--default-addr-pool-mask-len`). Absent: 10.0.0.0/8 cut in /24s, as Docker.
   */
  defaultAddrPool?: string[];
  subnetSize?: number;
}

/** The cluster's root certificate authority; its key is part of the replicated state. */
export interface RootCA {
  certPem: string;
  keyPem: string;
  /** sha256 of the certificate (DER), base36: what join tokens pin. */
  digest: string;
}

export interface JoinTokens {
  worker: string;
  manager: string;
}

export interface Cluster {
  id: string;
  meta: Meta;
  spec: ClusterSpec;
  rootCA?: RootCA;
  joinTokens?: JoinTokens;
}

/**
 * One published ingress port and the tasks that answer on it cluster-wide (issue 11): serving
 * tasks only (RUNNING, meant to run, healthy where they have a healthcheck), each by its address
 * on the ingress network. A port whose service has no serving task stays listed with no backend,
 * so nodes refuse connections to it at once.
 */
export interface IngressEntry {
  publishedPort: number;
  protocol: PortProtocol;
  serviceId: string;
  /** Sorted by taskId. `ip` is the task's plain address on the ingress network. */
  backends: { ip: string; port: number; taskId: string }[];
}

/**
 * What the dispatcher sends each node for its routing mesh (AssignmentsMessage.ingress_json):
 * the ingress network as this node sees it, and every ingress-published port. The same `ports`
 * go to every node; `network.nodeAddress` is the receiving node's own.
 */
export interface IngressTable {
  /** Absent while the cluster has no ingress network (or this node has no address on it yet). */
  network?: {
    id: string;
    /** CIDR, e.g. "10.0.0.0/24". */
    subnet: string;
    /** Plain address; the same on every node (the bridge's first address). */
    gateway: string;
    /** This node's plain address on the ingress network (Node.ingress). */
    nodeAddress: string;
  };
  ports: IngressEntry[];
}
