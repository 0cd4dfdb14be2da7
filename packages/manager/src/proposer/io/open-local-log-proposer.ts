import type { Clock } from '@shoal/common';
import { MemoryStore } from '../../store/memory-store.js';
import type { StateMachine } from '../../store/types.js';
import { LocalLogProposer, type LocalLogProposerOptions } from '../local-log-proposer.js';
import { LevelLogStorage } from './level-log-storage.js';

type Tuning = Pick<LocalLogProposerOptions, 'snapshotInterval' | 'maxInFlight' | 'maxTransactionsPerEntry'>;

export interface OpenLocalLogOptions extends Tuning {
  /** The LevelDB directory (created when missing). */
  path: string;
  clock: Clock;
}

const nextTick = (fn: () => void): void => {
  setImmediate(fn);
};

/** A LocalLogProposer over LevelDB at `path` that applies to `machine` (recovered on open). */
export async function openLocalLogProposer(machine: StateMachine, options: OpenLocalLogOptions): Promise<LocalLogProposer> {
  const { path, ...rest } = options;
  const storage = await LevelLogStorage.open(path);
  return LocalLogProposer.open({ ...rest, storage, machine, defer: nextTick });
}

/**
 * Composition helper: a MemoryStore recovered from LevelDB at `path`, wired to its proposer.
 * Close with `proposer.close()`.
 */
export async function openLocalStore(options: OpenLocalLogOptions): Promise<{ store: MemoryStore; proposer: LocalLogProposer }> {
  const store = new MemoryStore();
  const proposer = await openLocalLogProposer(store, options);
  store.setProposer(proposer);
  return { store, proposer };
}
