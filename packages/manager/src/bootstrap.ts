import { DEFAULT_HEARTBEAT_PERIOD_MS, DEFAULT_MAX_REPLICAS, DEFAULT_NODE_CERT_LIFETIME_MS, DEFAULT_TASK_HISTORY_LIMIT, type Cluster, type JoinTokens, type Node, type RootCA } from '@shoal/common';
import type { Store } from './store/types.js';

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
}

/** The objects `swarm init` creates: the cluster and the first node, a manager and the leader. */
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
  });
}
