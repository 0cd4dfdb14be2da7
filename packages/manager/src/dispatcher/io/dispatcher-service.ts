import type * as grpc from '@grpc/grpc-js';
import {
  newId,
  notFound,
  ShoalError,
  ERROR_CODES,
  type Clock,
  type NodeDescription,
  type Rng,
} from '@shoal/common';
import { unaryHandler, toServiceError, type DispatcherHandlers, type AssignmentsMessage, type AssignmentsRequest__Output, type SessionMessage, type SessionRequest__Output } from '@shoal/common/rpc';
import type { Store } from '../../store/types.js';
import type { CallWithAuthContext } from '../../ca/io/peer-identity.js';
import { diffAssignments, tasksForNode, versionsOf } from '../assignments.js';
import { NodeLiveness } from '../node-liveness.js';
import { acceptStatus } from '../status-updates.js';
import { checkHostPorts, sameHostPorts, type HostPortInput } from '../host-ports.js';
import { checkSessionRequest, checkStatusUpdates, type CheckedStatusUpdate } from '../check-worker-input.js';
import { NetworkPush } from './network-push.js';
import { retryOnConflict } from '../../control/networks.js';

/** How often the dispatcher looks for nodes that missed their heartbeats. */
const EXPIRY_CHECK_MS = 100;

export interface DispatcherOptions {
  store: Store;
  clock: Clock;
  rng: Rng;
  heartbeatPeriodMs: number;
  /** How long changes to the network tables gather before the streams they touch are woken. */
  networkCoalesceMs?: number;
  managers: () => string[];
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /**
   * The node ID of the caller, from its verified certificate (mutual TLS). Every call must come
   * from the node it speaks for.
   */
  identify: (call: CallWithAuthContext) => string;
}

/**
 * The dispatcher's gRPC shell: sessions, heartbeats, assignment streams and batched status
 * updates. The decisions live in the pure modules beside this folder.
 */
export class Dispatcher {
  private readonly liveness: NodeLiveness;
  /** The NetworkTables' shared watch (one for all streams); its `stats` count the wake rounds. */
  readonly networkPush: NetworkPush;
  private readonly sessions = new Map<string, string>();
  private readonly streams = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: DispatcherOptions) {
    this.liveness = new NodeLiveness(o.heartbeatPeriodMs);
    this.networkPush = new NetworkPush({ store: o.store, log: o.log, coalesceMs: o.networkCoalesceMs });
  }

  start(): void {
    // A new leader has heard from nobody yet: nodes the store says are up get a grace period to
    // open a session with it (their agents move over from the old leader), then expire as usual.
    const graceUntil = this.o.clock.now() + 2 * this.o.heartbeatPeriodMs;
    for (const node of this.o.store.view().list('nodes')) if (node.status.state === 'ready') this.liveness.beat(node.id, graceUntil);
    this.timer = setInterval(() => void this.expireNodes(), EXPIRY_CHECK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const close of this.streams) close();
    this.streams.clear();
    this.networkPush.stop();
  }

  handlers(): DispatcherHandlers {
    return {
      Session: (call) => void this.openSession(call),
      Heartbeat: unaryHandler(async (req, call) => {
        this.checkCaller(call, req.nodeId);
        this.checkSession(req.nodeId, req.sessionId);
        this.liveness.beat(req.nodeId, this.o.clock.now());
        return { periodMs: this.jitteredPeriod(), role: this.o.store.view().get('nodes', req.nodeId)?.spec.role ?? '' };
      }),
      Assignments: (call) => this.streamAssignments(call),
      UpdateTaskStatus: unaryHandler(async (req, call) => {
        this.checkCaller(call, req.nodeId);
        this.checkSession(req.nodeId, req.sessionId);
        await this.updateStatuses(req.nodeId, this.checkInput(req.nodeId, () => checkStatusUpdates(req)));
        return {};
      }),
      ReportHostPorts: unaryHandler(async (req, call) => {
        this.checkCaller(call, req.nodeId);
        this.checkSession(req.nodeId, req.sessionId);
        await this.storeHostPorts(req.nodeId, req.ports);
        return {};
      }),
    };
  }

  /** A node's host ports, checked, written only when they changed. */
  private async storeHostPorts(nodeId: string, input: readonly HostPortInput[]): Promise<void> {
    const hostPorts = checkHostPorts(input);
    if (sameHostPorts(this.o.store.view().get('nodes', nodeId)?.hostPorts, hostPorts)) return;
    await this.o.store.update((tx) => {
      const node = tx.get('nodes', nodeId);
      if (node) tx.update('nodes', { ...node, hostPorts });
    });
  }

  /** The caller speaks for the node its certificate names, and that node is still a member. */
  private checkCaller(call: CallWithAuthContext, nodeId: string): void {
    const caller = this.o.identify(call);
    if (caller !== nodeId) throw new ShoalError(ERROR_CODES.PERMISSION_DENIED, `node ${caller} cannot speak for node ${nodeId}`);
    if (!this.o.store.view().get('nodes', nodeId)) {
      throw new ShoalError(ERROR_CODES.PERMISSION_DENIED, `node ${nodeId} is not a member of this swarm (was it removed?)`);
    }
  }

  /** Runs an input check; a refusal is logged naming the node, then goes back to it as the error. */
  private checkInput<T>(nodeId: string, check: () => T): T {
    try {
      return check();
    } catch (e) {
      this.o.log('refused input from node', { nodeId, error: (e as Error).message });
      throw e;
    }
  }

  /** Up to 10% shorter than the period, so that nodes do not beat in lockstep; never longer. */
  private jitteredPeriod(): number {
    return Math.round(this.o.heartbeatPeriodMs * (0.9 + 0.1 * this.o.rng.next()));
  }

  private checkSession(nodeId: string, sessionId: string): void {
    if (this.sessions.get(nodeId) !== sessionId) {
      throw new ShoalError(ERROR_CODES.FAILED_PRECONDITION, 'session invalid: open a new session');
    }
  }

  private async openSession(call: grpc.ServerWritableStream<SessionRequest__Output, SessionMessage>): Promise<void> {
    const { nodeId } = call.request;
    let addr: string;
    try {
      this.checkCaller(call, nodeId);
      const checked = this.checkInput(nodeId, () => checkSessionRequest(call.request));
      addr = checked.addr;
      await this.registerNode(nodeId, checked.description, addr);
    } catch (e) {
      call.emit('error', toServiceError(e));
      return;
    }
    const sessionId = newId(this.o.rng);
    this.sessions.set(nodeId, sessionId);
    this.liveness.beat(nodeId, this.o.clock.now());
    this.o.log('session opened', { nodeId, addr });
    call.write({ sessionId, heartbeatPeriodMs: this.jitteredPeriod(), managers: this.o.managers() });
    const close = () => call.end();
    this.streams.add(close);
    call.on('cancelled', () => this.streams.delete(close));
  }

  private async registerNode(nodeId: string, description: NodeDescription, addr: string): Promise<void> {
    // The leader's allocator writes a node that just joined too (its ingress address): a session
    // that loses that race is written again on a fresh view rather than refused.
    await retryOnConflict(() => this.o.store.update((tx) => {
      const node = tx.get('nodes', nodeId);
      if (!node) throw new ShoalError(ERROR_CODES.PERMISSION_DENIED, `node ${nodeId} is not a member of this swarm`);
      tx.update('nodes', { ...node, description, status: { state: 'ready', message: '', addr } });
    }));
  }

  private async expireNodes(): Promise<void> {
    const expired = this.liveness.expired(this.o.clock.now());
    if (expired.length === 0) return;
    for (const id of expired) this.sessions.delete(id);
    this.o.log('nodes missed their heartbeats', { nodes: expired });
    await this.o.store
      .update((tx) => {
        for (const id of expired) {
          const node = tx.get('nodes', id);
          if (node) tx.update('nodes', { ...node, status: { ...node.status, state: 'down', message: 'heartbeat failure' } });
        }
      })
      .catch((e: unknown) => this.o.log('could not mark nodes down', { error: String(e) }));
  }

  private streamAssignments(call: grpc.ServerWritableStream<AssignmentsRequest__Output, AssignmentsMessage>): void {
    const { nodeId, sessionId } = call.request;
    try {
      this.checkCaller(call, nodeId);
    } catch (e) {
      call.emit('error', toServiceError(e));
      return;
    }
    if (this.sessions.get(nodeId) !== sessionId) {
      call.emit('error', toServiceError(notFound('session invalid: open a new session')));
      return;
    }
    let sent = new Map<string, number>();
    let sentIngress = '';
    let sentNetworks: string | undefined;
    let first = true;
    let pending = false;
    const flush = () => {
      pending = false;
      const mine = tasksForNode(this.o.store.view().byIndex('tasks', 'nodeId', nodeId), nodeId);
      // The routing mesh (issue 11): every ingress port with its serving tasks cluster-wide, by
      // their ingress addresses, and this node's own place on the ingress network.
      const ingress = this.networkPush.ingressFor(nodeId);
      const networks = this.networkPush.tableFor(nodeId);
      const diff = diffAssignments(sent, mine);
      const ingressChanged = ingress.key !== sentIngress;
      const networksChanged = networks.key !== sentNetworks;
      if (!first && diff.updated.length === 0 && diff.removed.length === 0 && !ingressChanged && !networksChanged) return;
      call.write({
        type: first ? 'COMPLETE' : 'INCREMENTAL',
        tasksJson: (first ? mine : diff.updated).map((t) => JSON.stringify(t)),
        removedTaskIds: first ? [] : diff.removed,
        ingressJson: ingressChanged ? ingress.json() : '',
        networksJson: networksChanged ? networks.json() : '',
      });
      first = false;
      sent = versionsOf(mine);
      sentIngress = ingress.key;
      sentNetworks = networks.key;
    };
    const wake = () => {
      if (pending) return;
      pending = true;
      setImmediate(flush);
    };
    // This node's tasks (including one that just moved away from it) wake the stream at once;
    // changes elsewhere that touch its networks wake it through the shared watch (NetworkPush).
    const unwatch = this.o.store.watch(wake, { tables: ['tasks'], nodeId });
    const unsubscribe = this.networkPush.subscribe(nodeId, wake);
    const close = () => {
      unwatch();
      unsubscribe();
      call.end();
    };
    this.streams.add(close);
    call.on('cancelled', () => {
      unwatch();
      unsubscribe();
      this.streams.delete(close);
    });
    flush();
  }

  private async updateStatuses(nodeId: string, updates: CheckedStatusUpdate[]): Promise<void> {
    this.liveness.beat(nodeId, this.o.clock.now());
    await this.o.store.update((tx) => {
      for (const { taskId, status } of updates) {
        const task = tx.get('tasks', taskId);
        if (acceptStatus(task, nodeId, status)) tx.update('tasks', { ...task!, status });
      }
    });
  }
}
