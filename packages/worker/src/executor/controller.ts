import type { TaskHealth } from '@shoal/common';

/**
 * One Controller per task: the steps that take a task's container through its life (swarmkit's
 * exec.Controller). Every method is idempotent enough for the task manager to retry after a crash:
 * preparing an already created container or starting a running one is not an error.
 */
export interface ExitStatus {
  exitCode: number;
  /** Why the runtime ended the container when it was not the process itself (e.g. "OOMKilled"). */
  reason?: string;
}

export interface ContainerStatus {
  containerId: string;
  running: boolean;
  /** Set once the container has exited. */
  exitCode?: number;
  /** IPv4 address per attached network name ("bridge" for Docker's default network). */
  networks: Record<string, string>;
}

export interface Controller {
  /** The container's id once it exists (after prepare(), or at once for an adopted container). */
  readonly containerId: string | undefined;
  /** Pulls the image if needed, ensures networks and creates the container. Throws on failure. */
  prepare(): Promise<void>;
  /** Starts the container; a running container is left as it is. */
  start(): Promise<void>;
  /** Resolves when the container exits. */
  wait(): Promise<ExitStatus>;
  /** Stops the container: stop signal, then kill after the grace period. Tolerates absence. */
  shutdown(gracePeriodMs: number): Promise<void>;
  /** Kills the container at once. Tolerates absence. */
  terminate(): Promise<void>;
  /** Removes the container (not its named volumes). Tolerates absence. */
  remove(): Promise<void>;
  /** The container's current state, or undefined when there is no container. */
  inspect(): Promise<ContainerStatus | undefined>;
  /**
   * Calls `listener` with the container's health (its healthcheck's verdict) now if known and at
   * every change, until the returned function is called. Absent: the runtime has no healthchecks.
   */
  watchHealth?(listener: (health: TaskHealth) => void): () => void;
}
