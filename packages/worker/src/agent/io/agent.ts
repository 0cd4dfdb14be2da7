import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { ERROR_CODES, isShoalError, type Clock, type HostPort, type IngressTable, type NodeDescription, type Rng, type Task, type TaskStatus } from '@shoal/common';
import { CLUSTER_CHANNEL_OPTIONS, callUnary, loadProtos, type AssignmentsMessage__Output, type HeartbeatReply__Output, type DispatcherClient, type SessionMessage__Output, type TaskStatusUpdate } from '@shoal/common/rpc';
import type { Executor } from '../../executor/executor.js';
import { Worker } from '../../task-manager/worker.js';
import { realTimers } from '../../io/timers.js';
import { IptablesBackend } from '../../ingress/io/iptables-backend.js';
import { StatusBatch } from '../status-batch.js';
import { descriptionToWire, statusCalls } from '../wire.js';
import { backoffMs } from '../backoff.js';
import { leaderHint } from '../leader-hint.js';
import { NetworkFeed, parseNetworkTable, type NetworkConsumer } from '../network-feed.js';

export interface AgentLog {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  debug(o: object, msg?: string): void;
}

export interface AgentOptions {
  nodeId: string;
  /** Dispatcher addresses (host:port) of the managers. */
  managers: string[];
  /** The role the store gives this node, from each heartbeat (promotion and demotion). */
  onRole?: (role: 'manager' | 'worker') => void;
  /** This node's advertised address. */
  addr: string;
  description: NodeDescription;
  executor: Executor;
  clock: Clock;
  log: AgentLog;
  /** Channel credentials for the managers (mutual TLS with the node's certificate); asked per session. */
  credentials: () => grpc.ChannelCredentials;
  /** Programs the routing mesh (shoald: the backend `--ingress-backend` chose); defaults to iptables (tests pass a recorder). */
  ingress?: IngressProgrammer;
  /**
   * The ports host processes listen on (HostPortScanner in shoald); reported to the dispatcher
   * whenever they change, so that the control API refuses an ingress port one of them holds.
   * Without it nothing is reported.
   */
  hostPorts?: () => Promise<HostPort[]>;
  /**
   * What takes the node's NetworkTable (overlay data path, VIP rules, DNS): each gets every table
   * the manager sends, one apply at a time; a failed apply is logged and tried again with the next
   * message (or within NETWORK_RETRY_MS). The last table stays applied while no manager answers.
   */
  networkConsumers?: NetworkConsumer[];
  /** Container creates and starts in flight at once on this node's engine (WorkerOptions.engineSlots). */
  engineSlots?: number;
}

export interface IngressProgrammer {
  apply(table: IngressTable): Promise<unknown>;
  removeAll(): Promise<void>;
}

const systemRng: Rng = { next: () => randomBytes(4).readUInt32BE(0) / 2 ** 32 };
const STATUS_FLUSH_MS = 100;
const SESSION_TIMEOUT_MS = 10_000;
const NETWORK_PRUNE_MS = 5_000;
const HOST_PORTS_POLL_MS = 2_000;
/** The NetworkTable of a large cluster is larger than gRPC's default 4 MB limit on a message. */
const MAX_ASSIGNMENTS_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * The worker agent: keeps a session with the dispatcher, runs what it is assigned through the
 * Worker, reports task status in batches and programs the ingress rules. Containers keep running
 * while the manager is unreachable; the agent reconnects with backoff and resyncs.
 */
export class Agent {
  private readonly worker: Worker;
  private readonly ingress: IngressProgrammer;
  private readonly statuses = new StatusBatch();
  private readonly networks: NetworkFeed;
  private stopped = false;
  private cancelSession: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: AgentOptions) {
    this.ingress = o.ingress ?? new IptablesBackend();
    this.networks = new NetworkFeed(o.networkConsumers ?? [], (consumer, e) => o.log.warn({ consumer, error: e.message }, 'could not apply the network table; will retry'));
    this.worker = new Worker({
      nodeId: o.nodeId,
      executor: o.executor,
      clock: o.clock,
      onStatus: (taskId: string, status: TaskStatus) => this.statuses.add(taskId, status),
      timers: realTimers,
      log: o.log,
      ...(o.engineSlots === undefined ? {} : { engineSlots: o.engineSlots }),
    });
  }

  async start(): Promise<void> {
    await this.worker.start();
    this.loop = this.runSessions();
    this.pruneTimer = setInterval(() => {
      void this.pruneNetworks();
      void this.networks.retry();
    }, NETWORK_PRUNE_MS);
  }

  /** Networks of removed stacks go once no container and no assigned task uses them. */
  private async pruneNetworks(): Promise<void> {
    const keep = new Set(this.worker.taskManagers().flatMap((tm) => tm.task.spec.networks.map((n) => n.target)));
    try {
      const removed = await this.o.executor.pruneNetworks(keep);
      if (removed.length > 0) this.o.log.info({ networks: removed }, 'removed unused networks');
    } catch (e) {
      this.o.log.debug({ error: (e as Error).message }, 'network prune failed; will retry');
    }
  }

  /** Stops the agent; with `cleanup` (swarm leave) it also removes its containers and rules. */
  async stop(o: { cleanup: boolean }): Promise<void> {
    this.stopped = true;
    clearInterval(this.pruneTimer);
    this.cancelSession?.();
    await this.loop;
    await this.worker.stop();
    if (o.cleanup) {
      await this.worker.removeAll();
      await this.ingress.removeAll();
      // An empty table: the consumers take down every overlay network, rule and DNS listener.
      await this.networks.offer({ networks: [] });
      await this.o.executor.pruneNetworks(new Set());
    }
  }

  private async runSessions(): Promise<void> {
    let attempt = 0;
    let m = 0;
    let hinted: string | undefined;
    while (!this.stopped) {
      const manager = hinted ?? this.o.managers[m++ % this.o.managers.length]!;
      hinted = undefined;
      const started = this.o.clock.now();
      try {
        await this.runSession(manager);
      } catch (e) {
        if (!this.stopped) this.o.log.warn({ manager, error: (e as Error).message }, 'session with manager ended');
        hinted = leaderHint((e as Error).message);
      }
      if (this.stopped) return;
      attempt = this.o.clock.now() - started > 10_000 ? 0 : attempt + 1;
      await new Promise((r) => setTimeout(r, backoffMs(attempt, systemRng)));
    }
  }

  /** One session: resolves or rejects when any of its streams or heartbeats fails. */
  private runSession(manager: string): Promise<void> {
    const protos = loadProtos();
    const options = { ...CLUSTER_CHANNEL_OPTIONS, 'grpc.max_receive_message_length': MAX_ASSIGNMENTS_MESSAGE_BYTES };
    const client = new protos.Dispatcher(manager, this.o.credentials(), options) as DispatcherClient;
    const timers: NodeJS.Timeout[] = [];
    let heartbeat: NodeJS.Timeout | undefined;
    let ended = false;
    const calls: grpc.ClientReadableStream<unknown>[] = [];
    return new Promise<void>((resolve, reject) => {
      const end = (err?: Error) => {
        ended = true;
        timers.forEach((t) => clearTimeout(t));
        clearTimeout(heartbeat);
        calls.forEach((c) => c.cancel());
        client.close();
        this.cancelSession = undefined;
        if (err) reject(err);
        else resolve();
      };
      this.cancelSession = () => end();
      const noAnswer = setTimeout(() => end(new Error(`no session from ${manager} within ${SESSION_TIMEOUT_MS} ms`)), SESSION_TIMEOUT_MS);
      timers.push(noAnswer);
      const session = client.Session({ nodeId: this.o.nodeId, description: descriptionToWire(this.o.description), addr: this.o.addr });
      calls.push(session);
      session.on('error', (e: Error) => end(e));
      session.on('end', () => end(new Error('manager closed the session')));
      session.once('data', (msg: SessionMessage__Output) => {
        clearTimeout(noAnswer);
        this.o.log.info({ manager, sessionId: msg.sessionId }, 'session established');
        if (msg.managers.length > 0) this.o.managers = [...msg.managers];
        const ids = { nodeId: this.o.nodeId, sessionId: msg.sessionId };
        // The next beat is due a period after this one was sent, not after its answer came: a
        // slow answer must not stretch the gap the leader sees (it marks a node down after 3).
        const beat = (periodMs: number, sentAt: number) => {
          if (ended) return;
          heartbeat = setTimeout(() => {
            const now = Date.now();
            this.heartbeat(client, ids, manager).then((next) => beat(next, now), (e: Error) => end(e));
          }, Math.max(0, sentAt + periodMs - Date.now()));
        };
        beat(msg.heartbeatPeriodMs, Date.now());
        timers.push(setInterval(() => void this.flushStatuses(client, ids, manager), STATUS_FLUSH_MS));
        if (this.o.hostPorts) timers.push(this.reportHostPorts(client, ids, manager, this.o.hostPorts));
        const assignments = client.Assignments(ids);
        calls.push(assignments);
        assignments.on('data', (a: AssignmentsMessage__Output) => this.onAssignments(a));
        assignments.on('error', (e: Error) => end(e));
        assignments.on('end', () => end(new Error('manager closed the assignment stream')));
      });
    });
  }

  /** One heartbeat; resolves with the period the dispatcher asks for until the next one. */
  private async heartbeat(client: DispatcherClient, ids: { nodeId: string; sessionId: string }, manager: string): Promise<number> {
    const reply = await callUnary<HeartbeatReply__Output>((o, cb) => client.Heartbeat(ids, o, cb), manager, 5_000);
    if (reply.role === 'manager' || reply.role === 'worker') this.o.onRole?.(reply.role);
    return reply.periodMs;
  }

  /** Sends what is pending, one batch at a time (StatusBatch); what failed to send is put back. */
  private async flushStatuses(client: DispatcherClient, ids: { nodeId: string; sessionId: string }, manager: string): Promise<void> {
    const batch = this.statuses.take();
    if (!batch) return;
    let unsent = new Map<string, TaskStatus>();
    try {
      const calls = statusCalls(batch);
      for (const [i, updates] of calls.entries()) {
        const error = await this.sendStatuses(client, ids, manager, updates);
        if (!error) continue;
        const left = new Set(calls.slice(i).flatMap((c) => c.map((u) => u.taskId)));
        unsent = new Map([...batch].filter(([id]) => left.has(id)));
        this.o.log.debug({ error: error.message }, 'status update failed; will retry');
        return;
      }
    } finally {
      this.statuses.settle(unsent);
    }
  }

  /** One UpdateTaskStatus call; resolves with the error to retry on, if any. */
  private async sendStatuses(client: DispatcherClient, ids: { nodeId: string; sessionId: string }, manager: string, updates: TaskStatusUpdate[]): Promise<Error | undefined> {
    try {
      await callUnary((o, cb) => client.UpdateTaskStatus({ ...ids, updates }, o, cb), manager, 10_000);
      return undefined;
    } catch (e) {
      if (!isShoalError(e) || e.code !== ERROR_CODES.INVALID_ARGUMENT) return e as Error;
      // Sending it again would be refused again: say so and go on with the rest.
      this.o.log.warn({ error: e.message, tasks: updates.map((u) => u.taskId) }, 'the manager refused these task statuses');
      return undefined;
    }
  }

  /**
   * Scans the host's listening ports now and every HOST_PORTS_POLL_MS, and sends them when they
   * differ from what this session last sent. A manager too old to know the call is left alone.
   */
  private reportHostPorts(client: DispatcherClient, ids: { nodeId: string; sessionId: string }, manager: string, scan: () => Promise<HostPort[]>): NodeJS.Timeout {
    let sent: string | undefined;
    let busy = false;
    let unsupported = false;
    const tick = async () => {
      if (busy || unsupported) return;
      busy = true;
      try {
        const ports = await scan();
        const text = JSON.stringify(ports);
        if (text === sent) return;
        await callUnary((o, cb) => client.ReportHostPorts({ ...ids, ports }, o, cb), manager, 10_000);
        sent = text;
      } catch (e) {
        // A manager from before this call answers UNIMPLEMENTED ("does not implement the method").
        unsupported = /does not implement/i.test((e as Error).message);
        this.o.log.debug({ error: (e as Error).message }, 'could not report host ports; will retry');
      } finally {
        busy = false;
      }
    };
    void tick();
    return setInterval(() => void tick(), HOST_PORTS_POLL_MS);
  }

  private onAssignments(msg: AssignmentsMessage__Output): void {
    this.onNetworks(msg.networksJson);
    const tasks = msg.tasksJson.map((j) => JSON.parse(j) as Task);
    if (msg.type === 'COMPLETE') this.worker.setAssignments(tasks);
    else this.worker.updateAssignments(tasks, msg.removedTaskIds);
    if (msg.ingressJson) {
      const table = JSON.parse(msg.ingressJson) as IngressTable;
      this.ingress.apply(table).catch((e: Error) => this.o.log.warn({ error: e.message }, 'could not program ingress rules'));
    }
  }

  /** A whole table ("" = unchanged: consumers behind on the last one try it again). */
  private onNetworks(json: string): void {
    if (!json) {
      void this.networks.retry();
      return;
    }
    try {
      void this.networks.offer(parseNetworkTable(json));
    } catch (e) {
      this.o.log.warn({ error: (e as Error).message }, 'ignored a network table that does not parse');
    }
  }
}
