import type { PortProtocol } from './objects.js';

/**
 * A port that a process on a node's host (not in a container) listens on, as the node's agent
 * reported it (`ss -ltnup`). An ingress port that one of these holds would be taken over by the
 * routing mesh, so the control API refuses to publish it.
 */
export interface HostPort {
  port: number;
  protocol: PortProtocol;
  /** /proc/PID/comm of the listening process; empty when unknown. */
  process: string;
  /** 0 when unknown. */
  pid: number;
}

/** At most this many host ports per node are reported and stored. */
export const MAX_HOST_PORTS = 1024;
/** Longer process names are cut (the kernel's own comm is at most 15 bytes). */
export const MAX_HOST_PROCESS_NAME = 64;
