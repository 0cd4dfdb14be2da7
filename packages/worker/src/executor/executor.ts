import type { NodeDescription, Task } from '@shoal/common';
import type { Controller } from './controller.js';

/** A container found on the host that carries shoal's labels: a candidate for adoption. */
export interface ManagedContainer {
  containerId: string;
  taskId: string;
  serviceId: string;
  nodeId: string;
  running: boolean;
}

/** The container runtime of one node (swarmkit's exec.Executor). */
export interface Executor {
  /** Hostname, platform, resources and engine version of the node. */
  describe(): Promise<NodeDescription>;
  /** A controller for the task's container; creating it does no I/O. */
  controllerFor(task: Task): Controller;
  /** Containers carrying shoal's labels (all nodes' labels; filter by node id yourself). */
  listManagedContainers(): Promise<ManagedContainer[]>;
  /** Stops (with the grace period) and removes a container that no task owns any more. */
  removeContainer(containerId: string, gracePeriodMs: number): Promise<void>;
  /** Removes the node-local networks shoal created that are unused and not in `keep`. */
  pruneNetworks(keep: ReadonlySet<string>): Promise<string[]>;
  /**
   * How many container creates and starts the runtime takes at once (the Worker bounds them with
   * EngineSlots); absent: no bound (a fake runtime).
   */
  readonly engineSlots?: number;
}
