import { DEFAULT_HEARTBEAT_PERIOD_MS, DEFAULT_MAX_REPLICAS, DEFAULT_NODE_CERT_LIFETIME_MS, DEFAULT_TASK_HISTORY_LIMIT, type Cluster, type JoinTokens, type Node, type RootCA } from '@shoal/common';
import type { Network, NetworkSpec } from '@shoal/common';
import type { Store } from './store/types.js';
import { allocateNetwork } from './allocator/network-allocation.js';

export interface BootstrapInfo {
  clusterId: string;
  nodeId: string;
  hostname: string;
  addr: string;
  rootCA?: RootCA;
  joinTokens?: JoinTokens;
  nodeCertLifetimeMs?: number;
  /** The first manager's Raft ID. */
  raftId?: number;
  /** `swarm init --default-addr-pool` / `--default-addr-pool-mask-len`, checked with `poolSettings`. */
  defaultAddrPool?: string[];
  subnetSize?: number;
  /**
   * The ID of the ingress network `swarm init` creates (issue 11; chosen by the caller, who holds
   * the randomness). Absent: no ingress network is created (tests that build a bare cluster).
   */
  ingressNetworkId?: string;
  /** `swarm init --ingress-subnet`; absent: the pool's first free subnet (10.0.0.0/24 by default). */
  ingressSubnet?: string;
}

/** The spec of the network `swarm init` creates for the routing mesh, named as Docker names it. */
export function ingressNetworkSpec(subnet?: string): NetworkSpec {
  return {
    annotations: { name: 'ingress', labels: {} },
    driver: 'overlay',
    attachable: false,
    internal: false,
    ingress: true,
    driverOpts: {},
    ipam: subnet ? [{ subnet }] : [],
  };
}

/**
 * The ingress network of a new cluster (pure: checks the subnet, throws one clear line). The
 * daemon calls it before `swarm init` creates anything, so a bad `--ingress-subnet` undoes nothing.
 */
export function initialIngressNetwork(id: string, info: Pick<BootstrapInfo, 'ingressSubnet' | 'defaultAddrPool' | 'subnetSize' | 'addr'>): Omit<Network, 'meta'> {
  const spec = ingressNetworkSpec(info.ingressSubnet);
  const cluster = { spec: { defaultAddrPool: info.defaultAddrPool, subnetSize: info.subnetSize } };
  return { id, spec, allocation: allocateNetwork({ spec, networks: [], nodes: [{ status: { addr: info.addr } }], cluster }) };
}

/**
 * The objects `swarm init` creates: the cluster, the first node (a manager and the leader) and,
 * as Docker, the ingress network (the leader's allocator then gives every node its address there).
 */
export async function bootstrapCluster(store: Store, info: BootstrapInfo): Promise<void> {
  await store.update((tx) => {
    if (tx.list('clusters').length > 0) return;
    const cluster: Omit<Cluster, 'meta'> = {
      id: info.clusterId,
      spec: {
        annotations: { name: 'default', labels: {} },
        taskHistoryRetentionLimit: DEFAULT_TASK_HISTORY_LIMIT,
        heartbeatPeriodMs: DEFAULT_HEARTBEAT_PERIOD_MS,
        nodeCertLifetimeMs: info.nodeCertLifetimeMs ?? DEFAULT_NODE_CERT_LIFETIME_MS,
        maxReplicas: DEFAULT_MAX_REPLICAS,
        ...(info.defaultAddrPool && info.defaultAddrPool.length > 0 ? { defaultAddrPool: [...info.defaultAddrPool] } : {}),
        ...(info.subnetSize ? { subnetSize: info.subnetSize } : {}),
      },
      ...(info.rootCA ? { rootCA: info.rootCA } : {}),
      ...(info.joinTokens ? { joinTokens: info.joinTokens } : {}),
    };
    tx.create('clusters', cluster);
    const node: Omit<Node, 'meta'> = {
      id: info.nodeId,
      spec: { annotations: { name: '', labels: {} }, role: 'manager', availability: 'active' },
      description: {
        hostname: info.hostname,
        platform: { os: 'linux', architecture: '' },
        resources: { nanoCpus: 0, memoryBytes: 0 },
        engineVersion: '',
        engineLabels: {},
      },
      status: { state: 'unknown', message: 'waiting for the agent', addr: info.addr },
      managerStatus: { leader: true, reachability: 'reachable', addr: info.addr, ...(info.raftId ? { raftId: info.raftId } : {}) },
    };
    tx.create('nodes', node);
    if (info.ingressNetworkId) tx.create('networks', initialIngressNetwork(info.ingressNetworkId, info));
  });
}
