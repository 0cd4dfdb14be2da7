import type { Cluster, ClusterHost, ClusterOptions } from './cluster.js';
import { createCluster as createNetnsCluster } from './netns/index.js';
import { createVagrantCluster } from './vagrant/vagrant-cluster.js';

/** The scenarios' one entry point: `E2E_PROVIDER=vagrant` runs them on the Vagrant VMs, else netns. */
export async function createTestCluster(o: ClusterOptions): Promise<Cluster<ClusterHost>> {
  const provider = process.env.E2E_PROVIDER ?? 'netns';
  if (provider === 'vagrant') return createVagrantCluster(o);
  if (provider === 'netns') return createNetnsCluster(o);
  throw new Error(`unknown E2E_PROVIDER "${provider}": netns or vagrant`);
}
