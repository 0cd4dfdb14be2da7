import type { Task, TaskNetworkAttachment } from '@shoal/common';

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
  /**
   * Runs once the task's container has started and before the task reports RUNNING (the routing
   * mesh's reply path in its namespace). A rejection fails the start, with its message.
   */
  afterStart?(containerId: string, task: Task): Promise<void>;
}
