/** The netns provider of the e2e harness: N hosts on this machine (README.md in e2e/harness). */
export { createCluster, destroyCluster, NetnsCluster, CLUSTER_IMAGES } from './netns-cluster.js';
export { NetnsHost } from './netns-host.js';
export { clearNetnsLeftovers, netnsLeftovers, harnessProcesses } from './leftovers.js';
export { BRIDGE, GATEWAY, SUBNET, SUBNET_PREFIX, SHOALD_PORT, hostLayout, type HostLayout } from './layout.js';
