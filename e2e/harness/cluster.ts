import type { RunResult } from './exec.js';
import type { Host } from './host.js';

/**
 * The provider interface of the multi-host e2e harness. A provider (netns on this machine,
 * Vagrant VMs on a user's machine) builds hosts that each run their own Docker Engine and can run
 * their own shoald; scenarios drive them only through this shape. See README.md.
 */
export interface ClusterHost extends Host {
  /** The host's address on the cluster network; shoald listens and advertises on `${addr}:4242`. */
  readonly addr: string;
  /** Starts shoald; `extraArgs` follow the provider's standard flags. */
  startShoald(extraArgs?: string[]): Promise<void>;
  /** Runs a command on the host (its network namespace, or over ssh); never throws on a non-zero exit. */
  exec(cmd: string, args: string[], opts?: { timeoutMs?: number; input?: string }): Promise<RunResult>;
  /** GET `path` on `addr:port` from this host; returns the body, throws when the request fails. */
  curlAt(addr: string, port: number, path?: string): Promise<string>;
  /** Sends a signal to shoald and returns at once (SIGSTOP/SIGCONT pause and resume it). */
  signalShoald(signal: NodeJS.Signals): Promise<void>;
  /** Takes the host off the cluster network (its link goes down); its daemons keep running. */
  cut(): Promise<void>;
  /** Puts a cut host back on the network. */
  heal(): Promise<void>;
  /** Everything shoald has logged on this host (pino JSON lines). */
  shoaldLog(): Promise<string>;
  /** Where the shoal checkout (with its build) is on this host. */
  readonly root: string;
}

export interface Cluster<H extends ClusterHost = ClusterHost> {
  readonly name: string;
  /** hosts[0] is h1, hosts[1] is h2, ... */
  readonly hosts: readonly H[];
  /** The host with 1-based index `n` (h<n>). */
  host(n: number): H;
  /** Stops every daemon and removes everything the provider made; safe to call twice. */
  destroy(): Promise<void>;
}

export interface ClusterOptions {
  /** Number of hosts, named h1..hN. */
  hosts: number;
  /** A label for messages and logs. */
  name: string;
}
