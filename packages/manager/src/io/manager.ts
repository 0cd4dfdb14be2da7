import type * as grpc from '@grpc/grpc-js';
import { failedPrecondition, unavailable, type Clock, type Node, type Rng } from '@shoal/common';
import type { RoleChanges } from '../control/nodes.js';
import type { ControlHandlers, DispatcherHandlers, NodeCAHandlers, RaftHandlers } from '@shoal/common/rpc';
import type { NodeId } from '@shoal/raft';
import { nodeCAHandlers } from '../ca/io/ca-service.js';
import { peerIdentity, type CallWithAuthContext } from '../ca/io/peer-identity.js';
import { MemoryStore } from '../store/index.js';
import { Orchestrator } from '../orchestrator/index.js';
import { Scheduler } from '../scheduler/index.js';
import { NetworkKeyRotator } from '../network-keys/index.js';
import { secureRandomBytes } from '../ca/io/random.js';
import { Allocator } from '../allocator/index.js';
import { Dispatcher } from '../dispatcher/io/dispatcher-service.js';
import { bootstrapCluster, type BootstrapInfo } from '../bootstrap.js';
import { managerAddrs } from '../manager-addrs.js';
import { RaftGroup, type RaftGroupTuning } from '../raft/io/raft-group.js';
import type { Member } from '../raft/members.js';
import { routeToLeader } from '../raft/io/leader-router.js';
import { raftHandlers } from '../raft/io/raft-service.js';
import { notLeaderDispatcher } from '../raft/io/not-leader-dispatcher.js';
import { authorize, type MembershipView } from '../edge/policy.js';
import { callerOf, guardService } from '../edge/io/guard.js';
import { guardJoins } from '../edge/io/join-guard.js';
import type { LogStorage } from '../disk/log-storage.js';

export interface ManagerLog {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
  debug?(o: object, msg?: string): void;
}

export interface ManagerOptions {
  /** Where the manager's Raft log lives (a LevelDB directory). */
  dataDir: string;
  /** This node's ID and the address other managers reach it at (host:port). */
  nodeId: string;
  addr: string;
  clock: Clock;
  rng: Rng;
  log: ManagerLog;
  /** The node's client credentials, for Raft streams and calls forwarded to the leader. */
  credentials: () => grpc.ChannelCredentials;
  raft?: RaftGroupTuning;
  heartbeatPeriodMs?: number;
  /** Who is calling the dispatcher; by default the node named by the caller's verified certificate. */
  identify?: (call: CallWithAuthContext) => string;
  /** This manager was removed from the Raft group (demoted, or forced out): the node goes on as a worker. */
  onRemoved?: () => void;
  /** The manager cannot go on (its log is damaged, a write failed). */
  onFatal?: (error: unknown) => void;
  /** Opens the key-value store under the Raft log (default: LevelDB in `dataDir`); tests inject faults. */
  openLog?: (path: string) => Promise<LogStorage>;
}

const schedule = (delayMs: number, fn: () => void): (() => void) => {
  const t = setTimeout(fn, Math.max(0, delayMs));
  return () => clearTimeout(t);
};

const READS = new Set(['GetCluster', 'ListNodes', 'GetNode', 'GetService', 'ListServices', 'ListTasks', 'GetNetwork', 'ListNetworks']);

/**
 * The manager of one node: the store replicated by the Raft group, and the leader-only loops
 * (orchestrator, allocator, scheduler, dispatcher), started when this manager wins leadership and stopped
 * when it loses it. Every manager serves the control API: followers forward to the leader.
 */
export class Manager {
  readonly store = new MemoryStore();
  private orchestrator?: Orchestrator;
  private scheduler?: Scheduler;
  private keyRotator?: NetworkKeyRotator;
  private allocator?: Allocator;
  private dispatcher?: Dispatcher;

  private constructor(
    readonly raft: RaftGroup,
    private readonly o: ManagerOptions,
  ) {}

  static async open(o: ManagerOptions): Promise<Manager> {
    const log = (msg: string, fields?: Record<string, unknown>) => o.log.info(fields ?? {}, msg);
    const self: { manager?: Manager } = {};
    const group = await RaftGroup.open({
      path: o.dataDir,
      self: { nodeId: o.nodeId, addr: o.addr },
      clock: o.clock,
      rng: o.rng,
      credentials: o.credentials,
      tuning: o.raft ?? {},
      log,
      trace: (msg, fields) => o.log.debug?.(fields ?? {}, msg),
      onLeadership: (leader) => self.manager?.leadershipChanged(leader),
      onRemoved: () => o.onRemoved?.(),
      ...(o.openLog ? { openLog: o.openLog } : {}),
      onFatal: (error) => {
        o.log.error({ error: String(error) }, 'raft stopped');
        o.onFatal?.(error);
      },
    });
    const manager = new Manager(group, o);
    self.manager = manager;
    group.attach(manager.store);
    return manager;
  }

  /** True when the Raft log on disk is empty: the manager must bootstrap (init) or join. */
  get isNew(): boolean {
    return this.raft.isNew;
  }

  /** `swarm init`: a one-manager Raft group, then the cluster's first objects. */
  async bootstrap(info: BootstrapInfo): Promise<void> {
    await this.raft.bootstrap();
    await this.raft.waitUntilLeader(10_000);
    await bootstrapCluster(this.store, { ...info, raftId: this.raft.raftId });
  }

  /** A new Raft group of several managers at once (benchmarks; `swarm init` has one). */
  bootstrapGroup(raftId: number, members: Member[]): Promise<void> {
    return this.raft.bootstrapGroup(raftId, members);
  }

  /** Joins the Raft group of an existing swarm through one of its managers. */
  async join(managers: readonly string[]): Promise<void> {
    await this.raft.join(managers);
  }

  /** Restarts from what is on disk. */
  start(): void {
    this.raft.start();
  }

  isLeader(): boolean {
    return this.raft.isLeader();
  }

  waitUntilLeader(timeoutMs: number): Promise<void> {
    return this.raft.waitUntilLeader(timeoutMs);
  }

  private leadershipChanged(leader: boolean): void {
    if (leader) this.startLeader();
    else this.stopLeader();
  }

  private startLeader(): void {
    const onError = (component: string) => (error: unknown) => this.o.log.error({ component, error: String(error) }, 'leader loop error');
    const { store, clock, rng } = { store: this.store, clock: this.o.clock, rng: this.o.rng };
    this.orchestrator = new Orchestrator({ store, clock, rng, schedule, onError: onError('orchestrator') });
    this.allocator = new Allocator({ store, clock, schedule: (fn) => setImmediate(fn), onError: onError('allocator') });
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
    this.keyRotator = new NetworkKeyRotator({ store, clock, randomBytes: secureRandomBytes, schedule, onError: onError('network-keys') });
    this.orchestrator.start();
    this.allocator.start();
    this.scheduler.start();
    this.dispatcher.start();
    this.keyRotator.start();
    this.o.log.info({}, 'leader loops started');
  }

  private stopLeader(): void {
    this.keyRotator?.stop();
    this.dispatcher?.stop();
    this.scheduler?.stop();
    this.allocator?.stop();
    this.orchestrator?.stop();
    this.dispatcher = this.scheduler = this.allocator = this.orchestrator = this.keyRotator = undefined;
    this.o.log.info({}, 'leader loops stopped');
  }

  /** Routes control calls: the leader serves them, followers forward them. */
  routeControl(local: ControlHandlers): ControlHandlers {
    return routeToLeader('Control', local, this.routing());
  }

  nodeCAHandlers(): NodeCAHandlers {
    const local = nodeCAHandlers({ store: this.store, clock: this.o.clock, rng: this.o.rng, log: (msg, fields) => this.o.log.info(fields ?? {}, msg) });
    // Renewal and the root certificate are served by any manager (they write nothing, and renewal
    // trusts the caller's certificate); joining creates the node, so it goes to the leader.
    const routed = routeToLeader('NodeCA', local, { ...this.routing(), local: new Set(['GetRootCACertificate', 'RenewNodeCertificate']) });
    // Join attempts are counted where the joining node connects; a manager forwarding one is not.
    const fromManager = (call: CallWithAuthContext) => authorize({ requires: 'manager', caller: callerOf(call) }, this.membershipView()).allowed;
    const IssueNodeCertificate = guardJoins(routed.IssueNodeCertificate as never, { clock: this.o.clock, log: (msg, fields) => this.o.log.warn(fields, msg), fromManager });
    return { ...routed, IssueNodeCertificate } as NodeCAHandlers;
  }

  /** Who is a member and a manager now, as this manager's store and Raft group say (edge/policy.ts). */
  membershipView(): MembershipView {
    const view = this.store.view();
    return {
      clusterId: view.list('clusters')[0]?.id,
      roleOf: (nodeId) => view.get('nodes', nodeId)?.spec.role,
      inRaftGroup: (nodeId) => this.raft.isMember(nodeId),
    };
  }

  /**
   * The services of the node-to-node port, each behind the access policy: the caller's
   * certificate and its node's current role and membership decide, on every call.
   */
  clusterServices(control: ControlHandlers): { dispatcher: DispatcherHandlers; nodeCA: NodeCAHandlers; raft: RaftHandlers; control: ControlHandlers } {
    const guard = { view: () => this.membershipView(), clock: this.o.clock, log: (msg: string, fields: Record<string, unknown>) => this.o.log.warn(fields, msg) };
    return {
      dispatcher: guardService('Dispatcher', this.dispatcherHandlers(), guard),
      nodeCA: guardService('NodeCA', this.nodeCAHandlers(), guard),
      raft: guardService('Raft', this.raftHandlers(), guard),
      control: guardService('Control', control, guard),
    };
  }

  dispatcherHandlers(): DispatcherHandlers {
    return notLeaderDispatcher(() => this.dispatcher?.handlers(), () => this.raft.leaderAddrNow());
  }

  raftHandlers(identify?: (call: CallWithAuthContext) => string): RaftHandlers {
    return raftHandlers({
      deliver: (m) => this.raft.deliver(m),
      nodeOfRaftId: (raftId) => this.raft.nodeOfRaftId(raftId),
      join: (nodeId, addr) => this.raft.admit(nodeId, addr),
      leave: (nodeId) => this.raft.removeMember(nodeId, { force: true }),
      limits: this.raft.limits,
      log: (msg, fields) => this.o.log.warn(fields ?? {}, msg),
      ...(identify ? { identify } : {}),
    });
  }

  /** Live manager status of a node for `node ls`: leader, reachable or unreachable. */
  decorateNode(node: Node): Node {
    if (node.spec.role !== 'manager' || !node.managerStatus) return node;
    const live = this.raft.memberStatus(node.id);
    return { ...node, managerStatus: { ...node.managerStatus, ...live } };
  }

  /** `node promote/demote`: refused when a demotion would break quorum; a demoted manager leaves Raft. */
  roleChanges(): RoleChanges {
    return {
      check: (node, role) => {
        if (role !== 'worker') return;
        const raftId = this.raft.raftIdOf(node.id);
        if (raftId === undefined) return;
        if (this.raft.memberCount() <= 1) throw failedPrecondition(`rpc error: attempting to demote the last manager of the swarm`);
        this.raft.checkQuorumWithout(raftId);
      },
      applied: async (node, role) => {
        if (role === 'worker') await this.raft.removeMember(node.id, { force: true });
      },
    };
  }

  /** `swarm leave` of a manager: hand leadership over, then leave the Raft group. */
  async leave(o: { force: boolean }): Promise<void> {
    await this.raft.leave(o);
  }

  private routing() {
    return {
      isLeader: () => this.raft.isLeader(),
      leaderAddr: (unlike?: string) => this.raft.leaderAddr(3_000, unlike),
      credentials: this.o.credentials,
      reads: READS,
      readBarrier: () => this.raft.readBarrier(),
      staleWarning: () => this.raft.staleWarning(),
      noLeader: () => unavailable(this.raft.noQuorumMessage()),
    };
  }

  async close(): Promise<void> {
    this.stopLeader();
    await this.raft.close();
  }

  raftIdOf(nodeId: string): NodeId | undefined {
    return this.raft.raftIdOf(nodeId);
  }
}
