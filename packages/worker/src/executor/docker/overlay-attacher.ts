import type { TaskNetworkAttachment } from '@shoal/common';

/**
 * What a task's controller needs from the node's overlay data path (network/io/OverlayNetworks):
 * the network built before the container is created, held until the container names it, and the
 * resolv.conf file the container mounts.
 */
export interface OverlayAttacher {
  ensure(a: TaskNetworkAttachment): Promise<void>;
  release(networkId: string): void;
  /** The path of the resolv.conf for a task whose first network is `a`. */
  resolvConf(a: TaskNetworkAttachment): Promise<string>;
}
