/** What a simulation run can be told: its seed, cluster size, length, fault mix and bugs. */

/** Deliberately broken drivers/clients, to prove that the checks can fail. */
export type SimBug =
  | 'none'
  /**
   * The disk acknowledges an fsync before the data is durable (it writes back every 100 ms), so
   * the host sends votes and acks for state that a crash still loses — as sending before persisting.
   */
  | 'fsync-lies'
  /** Acknowledges a put as soon as the leader appended it, before it is committed. */
  | 'ack-before-commit'
  /** Serves gets from the local state machine without ReadIndex. */
  | 'stale-read';

export interface FaultRates {
  /** Probability that a message is lost / delivered twice. */
  loss: number;
  duplicate: number;
  /** Probability that a message is held back 50–500 ms (reordering it behind later ones). */
  longDelay: number;
  /** Per-message delay range in ms. */
  minDelayMs: number;
  maxDelayMs: number;
  /** A fault (crash, pause, partition, transfer) is considered every [min, max] ms. */
  faultEveryMs: readonly [number, number];
  /** Relative weights of the fault kinds. */
  crash: number;
  pause: number;
  partition: number;
  transfer: number;
}

export interface SimOptions {
  seed: number;
  nodes?: 3 | 5;
  /** Length of the faulty phase in simulated ms (default 20 000). */
  simulatedMs?: number;
  /** Optional cap on the number of events of the faulty phase. */
  steps?: number;
  /** Concurrent clients (default 3 with 3 nodes, 4 with 5). */
  clients?: number;
  /** Distinct keys (default 3). */
  keys?: number;
  /** A snapshot every N applied entries (default 25), keeping `snapshotTail` entries (default 5). */
  snapshotEvery?: number;
  snapshotTail?: number;
  faults?: Partial<FaultRates>;
  bug?: SimBug;
  /** Keep the whole event trace in the result. */
  verbose?: boolean;
}

export const DEFAULT_FAULTS: FaultRates = {
  loss: 0.02,
  duplicate: 0.02,
  longDelay: 0.03,
  minDelayMs: 1,
  maxDelayMs: 30,
  faultEveryMs: [300, 2000],
  crash: 3,
  pause: 2,
  partition: 3,
  transfer: 1,
};

/** The cluster size `sim` and `sim:many` use for a seed unless told otherwise: even → 3, odd → 5. */
export function nodesForSeed(seed: number): 3 | 5 {
  return seed % 2 === 0 ? 3 : 5;
}
