import { conflict, failedPrecondition, invalidArgument, MAX_REPLICAS_CEILING, type Cluster, type Service } from '@shoal/common';
import type { Store } from '../store/types.js';

export interface ClusterChanges {
  /** The version the caller read; 0 skips the check. */
  version: number;
  /** 0 leaves it unchanged. */
  maxReplicas: number;
}

const replicasOf = (s: Service) => (s.spec.mode.kind === 'replicated' ? s.spec.mode.replicas : 0);

function checkMaxReplicas(n: number): void {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_REPLICAS_CEILING) {
    throw invalidArgument(`invalid max replicas ${n}: must be between 1 and ${MAX_REPLICAS_CEILING}`);
  }
}

/**
 * `swarm update`: changes cluster settings. Lowering the replica limit below a service's replica
 * count is refused (naming the service), rather than scaling that service down behind its owner's back.
 */
export async function updateCluster(store: Store, changes: ClusterChanges): Promise<Cluster> {
  if (changes.maxReplicas !== 0) checkMaxReplicas(changes.maxReplicas);
  const id = await store.update((tx) => {
    const cluster = tx.list('clusters')[0];
    if (!cluster) throw failedPrecondition('this swarm has no cluster object yet');
    if (changes.version !== 0 && cluster.meta.version !== changes.version) {
      throw conflict(`update out of sequence: the cluster changed since it was read (version ${changes.version}, now ${cluster.meta.version})`);
    }
    const spec = { ...cluster.spec };
    if (changes.maxReplicas !== 0) {
      const [above] = tx.find('services', (s) => replicasOf(s) > changes.maxReplicas);
      if (above) {
        throw failedPrecondition(`service ${above.spec.annotations.name} has ${replicasOf(above)} replicas, more than ${changes.maxReplicas}: scale it down first`);
      }
      spec.maxReplicas = changes.maxReplicas;
    }
    tx.update('clusters', { ...cluster, spec });
    return cluster.id;
  });
  return store.view().get('clusters', id)!;
}
