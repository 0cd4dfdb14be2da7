import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, ShoalError, newId, type Clock, type Rng, type NodeDescription } from '@shoal/common';
import { unaryHandler, type ControlHandlers, type SwarmHandlers } from '@shoal/common/rpc';
import { Manager, controlHandlers, type Store } from '@shoal/manager';
import { Agent, DockerExecutor } from '@shoal/worker';
import { chooseAdvertiseAddr, parseAddr } from './advertise-addr.js';
import { serveLocalApi, shutdownServer } from './local-api.js';
import { serveClusterApi } from './cluster-api.js';
import { readNodeState, writeNodeState, type NodeState } from './node-state.js';
import type { Logger } from './logger.js';

export interface DaemonOptions {
  dataDir: string;
  socket: string;
  hostname: string;
  listenAddr: string;
  advertiseAddr: string;
  dockerHost: string;
  log: Logger;
}

const VERSION = '0.1.0';
const NOT_A_MANAGER =
  'This node is not a swarm manager. Use "shoal swarm init" or "shoal swarm join" to connect this node to swarm and try again.';

export const systemClock: Clock = { now: () => Date.now() };
export const systemRng: Rng = { next: () => randomBytes(4).readUInt32BE(0) / 2 ** 32 };

/** shoald: the worker agent always, the manager when the node is one (DESIGN §1). */
export class Daemon {
  private state!: NodeState;
  private localServer?: grpc.Server;
  private clusterServer?: grpc.Server;
  private manager?: Manager;
  private agent?: Agent;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: DaemonOptions) {}

  async start(): Promise<void> {
    this.state = (await readNodeState(this.o.dataDir)) ?? { nodeId: newId(systemRng) };
    await writeNodeState(this.o.dataDir, this.state);
    if (this.state.swarm) await this.bringUp();
    this.localServer = await serveLocalApi(this.o.socket, this.swarmHandlers(), controlHandlers(() => this.store(), systemRng));
    this.o.log.info({ socket: this.o.socket, nodeId: this.state.nodeId, swarm: !!this.state.swarm }, 'shoald ready');
  }

  async stop(): Promise<void> {
    await this.tearDown({ cleanup: false });
    if (this.localServer) await shutdownServer(this.localServer);
  }

  private store(): Store {
    if (!this.manager) throw new ShoalError(ERROR_CODES.NOT_A_MANAGER, NOT_A_MANAGER);
    return this.manager.store;
  }

  /** Swarm calls change the node's membership one at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.busy.then(fn, fn);
    this.busy = next.catch(() => undefined);
    return next;
  }

  private swarmHandlers(): SwarmHandlers {
    return {
      Init: unaryHandler((req) => this.serial(() => this.init(req.advertiseAddr, req.listenAddr))),
      Leave: unaryHandler((req) => this.serial(() => this.leave(req.force))),
      Info: unaryHandler(async () => this.info()),
    };
  }

  private async init(advertiseFlag: string, listenFlag: string) {
    if (this.state.swarm) {
      throw new ShoalError(ERROR_CODES.ALREADY_IN_SWARM, 'This node is already part of a swarm. Use "shoal swarm leave" to leave this swarm and join another one.');
    }
    const listenAddr = listenFlag || this.o.listenAddr;
    const advertiseAddr = chooseAdvertiseAddr(advertiseFlag || this.o.advertiseAddr, listenAddr);
    const swarm = { role: 'manager' as const, clusterId: newId(systemRng), advertiseAddr, listenAddr, managers: [advertiseAddr] };
    this.state = { ...this.state, swarm };
    try {
      await this.bringUp(() =>
        this.manager!.bootstrap({ clusterId: swarm.clusterId, nodeId: this.state.nodeId, hostname: this.o.hostname, addr: advertiseAddr }),
      );
      await writeNodeState(this.o.dataDir, this.state);
    } catch (e) {
      await this.tearDown({ cleanup: true });
      this.state = { nodeId: this.state.nodeId };
      throw e;
    }
    this.o.log.info({ nodeId: this.state.nodeId, advertiseAddr }, 'swarm initialized');
    return { nodeId: this.state.nodeId, advertiseAddr };
  }

  private async leave(force: boolean) {
    if (!this.state.swarm) throw new ShoalError(ERROR_CODES.NOT_IN_SWARM, 'This node is not part of a swarm');
    if (this.state.swarm.role === 'manager' && !force) {
      throw new ShoalError(
        ERROR_CODES.FAILED_PRECONDITION,
        'You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.',
      );
    }
    await this.tearDown({ cleanup: true });
    await rm(join(this.o.dataDir, 'manager'), { recursive: true, force: true });
    this.state = { nodeId: this.state.nodeId };
    await writeNodeState(this.o.dataDir, this.state);
    this.o.log.info('left the swarm');
    return {};
  }

  private async info() {
    const view = this.manager?.store.view();
    return {
      localNodeState: this.state.swarm ? 'active' : 'inactive',
      nodeId: this.state.nodeId,
      nodeAddr: this.state.swarm?.advertiseAddr ?? '',
      controlAvailable: !!this.manager,
      clusterId: this.state.swarm?.clusterId ?? '',
      managers: view ? view.find('nodes', (n) => n.spec.role === 'manager').length : 0,
      nodes: view ? view.list('nodes').length : 0,
      version: VERSION,
    };
  }

  /** Starts what the node's role needs: manager (store, leader loops, cluster API), then the agent. */
  private async bringUp(beforeAgent: () => Promise<void> = async () => {}): Promise<void> {
    const swarm = this.state.swarm!;
    const executor = new DockerExecutor(this.o.dockerHost);
    const description: NodeDescription = { ...(await describeEngine(executor, this.o.dockerHost)), hostname: this.o.hostname };
    if (swarm.role === 'manager') {
      this.manager = await Manager.open({ dataDir: join(this.o.dataDir, 'manager'), clock: systemClock, rng: systemRng, log: this.o.log.child({ component: 'manager' }) });
      this.manager.startLeader();
      const { host, port } = parseAddr(swarm.listenAddr);
      this.clusterServer = (await serveClusterApi(`${host}:${port}`, this.manager.dispatcherHandlers())).server;
    }
    await beforeAgent();
    this.agent = new Agent({
      nodeId: this.state.nodeId,
      managers: swarm.managers,
      addr: swarm.advertiseAddr,
      description,
      executor,
      clock: systemClock,
      log: this.o.log.child({ component: 'agent' }),
    });
    await this.agent.start();
  }

  private async tearDown(o: { cleanup: boolean }): Promise<void> {
    await this.agent?.stop(o);
    this.agent = undefined;
    if (this.clusterServer) await shutdownServer(this.clusterServer);
    this.clusterServer = undefined;
    await this.manager?.close();
    this.manager = undefined;
  }
}

/** Docker Engine must answer before the node can take tasks: say so in one line if it does not. */
async function describeEngine(executor: DockerExecutor, dockerHost: string): Promise<NodeDescription> {
  try {
    return await executor.describe();
  } catch (e) {
    throw new ShoalError(ERROR_CODES.UNAVAILABLE, `cannot reach Docker Engine at ${dockerHost}: ${(e as Error).message}`);
  }
}

export type { ControlHandlers };
