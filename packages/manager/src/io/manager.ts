import type { Clock, Rng } from '@shoal/common';
import type { DispatcherHandlers, NodeCAHandlers } from '@shoal/common/rpc';
import { nodeCAHandlers } from '../ca/io/ca-service.js';
import { peerIdentity, type CallWithAuthContext } from '../ca/io/peer-identity.js';
import { openLocalStore } from '../proposer/index.js';
import type { LocalLogProposer } from '../proposer/index.js';
import type { MemoryStore } from '../store/index.js';
import { Orchestrator } from '../orchestrator/index.js';
import { Scheduler } from '../scheduler/index.js';
import { Dispatcher } from '../dispatcher/io/dispatcher-service.js';
import { bootstrapCluster, type BootstrapInfo } from '../bootstrap.js';
import { managerAddrs } from '../manager-addrs.js';

export interface ManagerLog {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

export interface ManagerOptions {
  /** Where the manager's log lives (a LevelDB directory). */
  dataDir: string;
  clock: Clock;
  rng: Rng;
  log: ManagerLog;
  heartbeatPeriodMs?: number;
  /** Who is calling the dispatcher; by default the node named by the caller's verified certificate. */
  identify?: (call: CallWithAuthContext) => string;
}

const schedule = (delayMs: number, fn: () => void): (() => void) => {
  const t = setTimeout(fn, Math.max(0, delayMs));
  return () => clearTimeout(t);
};

/**
 * The manager of one node: the store and its log, and the leader-only loops (orchestrator,
 * scheduler, dispatcher). With one manager the node is always the leader; the Raft issue starts
 * and stops the loops on leadership changes.
 */
export class Manager {
  private orchestrator?: Orchestrator;
  private scheduler?: Scheduler;
  private dispatcher?: Dispatcher;

  private constructor(
    readonly store: MemoryStore,
    private readonly proposer: LocalLogProposer,
    private readonly o: ManagerOptions,
  ) {}

  static async open(o: ManagerOptions): Promise<Manager> {
    const { store, proposer } = await openLocalStore({ path: o.dataDir, clock: o.clock });
    return new Manager(store, proposer, o);
  }

  bootstrap(info: BootstrapInfo): Promise<void> {
    return bootstrapCluster(this.store, info);
  }

  startLeader(): void {
    const onError = (component: string) => (error: unknown) => this.o.log.error({ component, error: String(error) }, 'leader loop error');
    const { store, clock, rng } = { store: this.store, clock: this.o.clock, rng: this.o.rng };
    this.orchestrator = new Orchestrator({ store, clock, rng, schedule, onError: onError('orchestrator') });
    this.scheduler = new Scheduler({ store, clock, rng, schedule: (fn) => setImmediate(fn), onError: onError('scheduler') });
    this.dispatcher = new Dispatcher({
      store,
      clock,
      rng,
      heartbeatPeriodMs: this.o.heartbeatPeriodMs ?? store.view().list('clusters')[0]?.spec.heartbeatPeriodMs ?? 1_000,
      managers: () => managerAddrs(store.view()),
      log: (msg, fields) => this.o.log.info(fields ?? {}, msg),
      identify: this.o.identify ?? ((call) => peerIdentity(call).nodeId),
    });
    this.orchestrator.start();
    this.scheduler.start();
    this.dispatcher.start();
  }

  nodeCAHandlers(): NodeCAHandlers {
    return nodeCAHandlers({ store: this.store, clock: this.o.clock, rng: this.o.rng, log: (msg, fields) => this.o.log.info(fields ?? {}, msg) });
  }

  dispatcherHandlers(): DispatcherHandlers {
    if (!this.dispatcher) throw new Error('assertion failed: dispatcher handlers asked for before startLeader()');
    return this.dispatcher.handlers();
  }

  async close(): Promise<void> {
    this.dispatcher?.stop();
    this.scheduler?.stop();
    this.orchestrator?.stop();
    await this.proposer.close();
  }
}
