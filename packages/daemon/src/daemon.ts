import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { DEFAULT_NODE_CERT_LIFETIME_MS, ERROR_CODES, ShoalError, newId, type Clock, type Rng, type NodeDescription, type Task } from '@shoal/common';
import { loadProtos, unaryHandler, type ControlHandlers, type SwarmHandlers } from '@shoal/common/rpc';
import { CONNECTION_LIMITS, Manager, ca, controlHandlers, initialIngressNetwork, poolSettings, type ConnectionLimits, type RaftGroupTuning } from '@shoal/manager';
import {
  Agent,
  DnsServer,
  DockerExecutor,
  EncryptedOverlayRelay,
  HostPortScanner,
  MeshReply,
  VipBalancer,
  refusingUnencryptable,
  type ClientAddressMode,
  type IngressBackendFlag,
} from '@shoal/worker';
import { chooseAdvertiseAddr, parseAddr } from './advertise-addr.js';
import { serveLocalApi, shutdownServer } from './local-api.js';
import { serveClusterApi, type ClusterApi } from './cluster-api.js';
import { readNodeState, writeNodeState, type NodeState } from './node-state.js';
import { readNodeCerts, removeNodeCerts, writeNodeCerts, type NodeCerts } from './tls/node-certs.js';
import { nodeClientCredentials } from './tls/credentials.js';
import { renewCertificate, requestMembership } from './membership.js';
import { CertRenewer } from './cert-renewer.js';
import { createClusterIdentity } from './cluster-identity.js';
import { bufferedRng } from './buffered-rng.js';
import type { Logger } from './logger.js';
import { describeEngine, VERSION } from './node-facts.js';
import { chooseRoutingMesh, type RoutingMesh } from './routing-mesh.js';

export interface DaemonOptions {
  dataDir: string;
  socket: string;
  hostname: string;
  listenAddr: string;
  advertiseAddr: string;
  dockerHost: string;
  log: Logger;
  /** Raft timing and snapshots (shoald flags). */
  raft?: RaftGroupTuning;
  /** Bounds on the node-to-node port's connections (from the process's file limit). */
  connectionLimits?: ConnectionLimits;
  /** `--dns`: upstream resolvers for names outside the cluster; empty: the host's resolv.conf. */
  dns?: string[];
  /** `--ingress-backend`: the routing mesh's rule programmer (default auto: ipvs, else nftables, else iptables). */
  ingressBackend?: IngressBackendFlag;
  /** Whether forwarded connections keep the client's address; default: what probeMeshReply finds. */
  clientAddress?: ClientAddressMode;
}

const NOT_A_MANAGER =
  'This node is not a swarm manager. Use "shoal swarm init" or "shoal swarm join" to connect this node to swarm and try again.';

export const systemClock: Clock = { now: () => Date.now() };
export const systemRng: Rng = bufferedRng();

const makeToken = (digest: string) => ca.newJoinToken(digest, ca.secureRandomBytes);

/** shoald: the worker agent always, the manager when the node is one (DESIGN §1). */
export class Daemon {
  private state!: NodeState;
  private certs: NodeCerts | undefined;
  private localServer?: grpc.Server;
  private clusterServer?: ClusterApi;
  private manager?: Manager;
  private controlRoute?: ControlHandlers;
  private changingRole = false;
  private agent?: Agent;
  /** Encrypted overlays (worker/src/network/encryption): a network consumer before the data path. */
  private relay?: EncryptedOverlayRelay;
  private dns?: DnsServer;
  private vip?: VipBalancer;
  /** The routing mesh's reply path in task namespaces (worker/src/mesh); its mode comes from the probe. */
  private mesh?: MeshReply;
  private renewer?: CertRenewer;
  private ingress?: RoutingMesh;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: DaemonOptions) {}

  async start(): Promise<void> {
    const stored = await readNodeState(this.o.dataDir);
    this.state = stored ?? { nodeId: newId(systemRng) };
    // Written only when new: a restart on a full disk must not fail here.
    if (!stored) await writeNodeState(this.o.dataDir, this.state);
    this.certs = await readNodeCerts(this.o.dataDir);
    // Probed for real before anything starts: an explicit backend that does not work is a start
    // error; whether replies can go back through the node that took a connection decides the
    // client-address mode (else the backends source-NAT, and the report says why).
    this.ingress = await chooseRoutingMesh(this.o.ingressBackend ?? 'auto', this.o.clientAddress);
    this.o.log.info({ ...this.ingress.report }, 'routing mesh backend');
    if (this.state.swarm) await this.bringUp();
    this.localServer = await serveLocalApi(this.o.socket, this.swarmHandlers(), this.localControl());
    this.o.log.info({ socket: this.o.socket, nodeId: this.state.nodeId, swarm: !!this.state.swarm }, 'shoald ready');
  }

  async stop(): Promise<void> {
    await this.tearDown({ cleanup: false });
    if (this.localServer) await shutdownServer(this.localServer);
  }

  /** Control calls on the local socket: refused on a worker, routed to the leader on a manager. */
  private localControl(): ControlHandlers {
    type Handler = (call: never, callback: never) => void;
    const refuse = unaryHandler(async () => {
      throw new ShoalError(ERROR_CODES.NOT_A_MANAGER, NOT_A_MANAGER);
    }) as Handler;
    const out: Record<string, Handler> = {};
    for (const name of Object.keys(loadProtos().Control.service)) {
      out[name] = (call, callback) => {
        const routed = this.controlRoute as unknown as Record<string, Handler> | undefined;
        (routed?.[name] ?? refuse)(call, callback);
      };
    }
    return out as unknown as ControlHandlers;
  }

  /** Swarm calls change the node's membership one at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.busy.then(fn, fn);
    this.busy = next.catch(() => undefined);
    return next;
  }

  private swarmHandlers(): SwarmHandlers {
    return {
      Init: unaryHandler((req) =>
        this.serial(() => (req.forceNewCluster && this.state.swarm ? this.forceNewCluster() : this.init(req.advertiseAddr, req.listenAddr, Number(req.certExpiryMs), req.defaultAddrPool, req.defaultAddrPoolMaskLen, req.ingressSubnet))),
      ),
      Join: unaryHandler((req) => this.serial(() => this.join(req.remoteAddr, req.token, req.advertiseAddr, req.listenAddr))),
      Leave: unaryHandler((req) => this.serial(() => this.leave(req.force))),
      Info: unaryHandler(async () => this.info()),
    };
  }

  private notInSwarm(): void {
    if (this.state.swarm) {
      throw new ShoalError(ERROR_CODES.ALREADY_IN_SWARM, 'This node is already part of a swarm. Use "shoal swarm leave" to leave this swarm and join another one.');
    }
  }

  private async init(advertiseFlag: string, listenFlag: string, certExpiryMs: number, addrPool: string[] = [], maskLen = 0, ingressSubnet = '') {
    this.notInSwarm();
    // Checked before anything is created: a bad pool is one clear line, and nothing to undo.
    poolSettings(addrPool, maskLen);
    const pool = { ...(addrPool.length > 0 ? { defaultAddrPool: addrPool } : {}), ...(maskLen > 0 ? { subnetSize: maskLen } : {}) };
    const listenAddr = listenFlag || this.o.listenAddr;
    const advertiseAddr = chooseAdvertiseAddr(advertiseFlag || this.o.advertiseAddr, listenAddr);
    // The ingress network (as Docker's `swarm init`): its subnet is checked here too.
    const ingress = { ingressNetworkId: newId(systemRng), ...(ingressSubnet ? { ingressSubnet } : {}) };
    initialIngressNetwork(ingress.ingressNetworkId, { ...pool, ...ingress, addr: advertiseAddr });
    const clusterId = newId(systemRng);
    const nodeCertLifetimeMs = certExpiryMs > 0 ? certExpiryMs : DEFAULT_NODE_CERT_LIFETIME_MS;
    const identity = await createClusterIdentity({ clusterId, nodeId: this.state.nodeId, now: systemClock.now(), makeToken, lifetimeMs: nodeCertLifetimeMs });
    await this.becomeMember({ role: 'manager', clusterId, advertiseAddr, listenAddr, managers: [advertiseAddr] }, identity.certs, () =>
      this.manager!.bootstrap({ clusterId, nodeId: this.state.nodeId, hostname: this.o.hostname, addr: advertiseAddr, rootCA: identity.rootCA, joinTokens: identity.joinTokens, nodeCertLifetimeMs, ...pool, ...ingress }),
    );
    this.o.log.info({ nodeId: this.state.nodeId, advertiseAddr }, 'swarm initialized');
    return { nodeId: this.state.nodeId, advertiseAddr, role: 'manager' };
  }

  private async join(remoteAddr: string, token: string, advertiseFlag: string, listenFlag: string) {
    this.notInSwarm();
    if (!remoteAddr) throw new ShoalError(ERROR_CODES.INVALID_ARGUMENT, 'the address of a manager (HOST:PORT) is required');
    const listenAddr = listenFlag || this.o.listenAddr;
    const advertiseAddr = chooseAdvertiseAddr(advertiseFlag || this.o.advertiseAddr, listenAddr);
    const { host, port } = parseAddr(remoteAddr);
    const m = await requestMembership({ remoteAddr: `${host}:${port}`, token, hostname: this.o.hostname, advertiseAddr });
    this.state = { nodeId: m.nodeId };
    const managers = m.managers.length > 0 ? m.managers : [`${host}:${port}`];
    await this.becomeMember({ role: m.role, clusterId: m.clusterId, advertiseAddr, listenAddr, managers }, m.certs);
    this.o.log.info({ nodeId: m.nodeId, role: m.role, managers }, 'joined the swarm');
    return { nodeId: m.nodeId, advertiseAddr, role: m.role };
  }

  private async becomeMember(swarm: NonNullable<NodeState['swarm']>, certs: NodeCerts, beforeAgent?: () => Promise<void>): Promise<void> {
    this.state = { ...this.state, swarm };
    this.certs = certs;
    try {
      await writeNodeCerts(this.o.dataDir, certs);
      await this.bringUp(beforeAgent);
      await writeNodeState(this.o.dataDir, this.state);
    } catch (e) {
      await this.tearDown({ cleanup: true });
      await rm(join(this.o.dataDir, 'manager'), { recursive: true, force: true });
      await removeNodeCerts(this.o.dataDir);
      this.state = { nodeId: this.state.nodeId };
      this.certs = undefined;
      throw e;
    }
  }

  private async leave(force: boolean) {
    if (!this.state.swarm) throw new ShoalError(ERROR_CODES.NOT_IN_SWARM, 'This node is not part of a swarm');
    if (this.manager) {
      const managers = this.manager.raft.memberCount();
      if (managers <= 1 && !force) {
        throw new ShoalError(
          ERROR_CODES.FAILED_PRECONDITION,
          'You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.',
        );
      }
      // Refused without --force when the others could not form a quorum; the leader hands over first.
      await this.manager.leave({ force });
    }
    await this.tearDown({ cleanup: true });
    await rm(join(this.o.dataDir, 'manager'), { recursive: true, force: true });
    await removeNodeCerts(this.o.dataDir);
    this.certs = undefined;
    this.state = { nodeId: this.state.nodeId };
    await writeNodeState(this.o.dataDir, this.state);
    this.o.log.info('left the swarm');
    return {};
  }

  /** `swarm init --force-new-cluster` on a manager: keep the state, become the only manager. */
  private async forceNewCluster() {
    const swarm = this.state.swarm!;
    if (swarm.role !== 'manager') throw new ShoalError(ERROR_CODES.FAILED_PRECONDITION, 'only a manager can force a new cluster from its state');
    await this.tearDown({ cleanup: false });
    await this.bringUp(undefined, { forceNewCluster: true });
    this.state = { ...this.state, swarm: { ...swarm, managers: [swarm.advertiseAddr] } };
    await writeNodeState(this.o.dataDir, this.state);
    this.o.log.info({ nodeId: this.state.nodeId }, 'forced a new cluster from this manager\'s state');
    return { nodeId: this.state.nodeId, advertiseAddr: swarm.advertiseAddr, role: 'manager' };
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
  private async bringUp(beforeAgent?: () => Promise<void>, opts: { forceNewCluster?: boolean } = {}): Promise<void> {
    const swarm = this.state.swarm!;
    if (!this.certs) throw new Error(`node certificates missing in ${this.o.dataDir}/certificates: leave the swarm (--force) and join again`);
    const relayLog = this.o.log.child({ component: 'encryption' });
    // Started by the first task or table with an encrypted network; nodes without any never start it.
    const relay = (this.relay = new EncryptedOverlayRelay({ selfAddr: parseAddr(swarm.advertiseAddr).host, log: (line) => relayLog.info(line) }));
    // Probed once per process: whether replies can leave through the node that took the connection.
    const meshMode = this.ingress!.reply;
    // Called by task controllers only once the agent runs, after `mesh` below exists.
    const afterStart = (containerId: string, task: Task): Promise<void> => mesh.afterStart(containerId, task);
    const overlay = { underlay: swarm.advertiseAddr, resolvDir: join(this.o.dataDir, 'resolv'), log: this.o.log.child({ component: 'overlay' }), afterStart, ...relay.hooks() };
    const docker = new DockerExecutor(this.o.dockerHost, { overlay });
    const mesh = (this.mesh = new MeshReply({ docker: docker.docker, clientAddress: meshMode.clientAddress, log: this.o.log.child({ component: 'mesh' }) }));
    this.o.log.info({ clientAddress: meshMode.clientAddress, reason: meshMode.reason }, 'routing mesh reply path');
    const description: NodeDescription = { ...(await describeEngine(docker, this.o.dockerHost)), hostname: this.o.hostname, ingress: this.ingress!.report };
    const executor = refusingUnencryptable(docker, () => relay.ensureStarted());
    if (swarm.role === 'manager') await this.startManager(beforeAgent, opts);
    const hostPorts = new HostPortScanner();
    const dns = new DnsServer({ upstreams: this.o.dns, clock: systemClock, rng: systemRng, log: this.o.log.child({ component: 'dns' }) });
    this.dns = dns;
    const vip = new VipBalancer({ docker: docker.docker, log: this.o.log.child({ component: 'vip' }) });
    vip.start();
    this.vip = vip;
    this.agent = new Agent({
      nodeId: this.state.nodeId,
      managers: swarm.managers,
      addr: swarm.advertiseAddr,
      description,
      executor,
      clock: systemClock,
      credentials: () => nodeClientCredentials(this.certs!),
      hostPorts: () => hostPorts.scan(),
      ingress: this.ingress!.backend,
      // The data path first: DNS binds each network's gateway once its bridge exists.
      // The relay first: the data path's fdb entries point at the relay ports it assigns.
      networkConsumers: [relay, ...(docker.overlay ? [docker.overlay] : []), dns, vip, mesh],
      log: this.o.log.child({ component: 'agent' }),
      onRole: (role) => {
        if (role !== this.state.swarm?.role && !this.changingRole) void this.serial(() => this.changeRole(role));
      },
    });
    await this.agent.start();
    this.renewer = new CertRenewer({
      current: () => this.certs!,
      nodeId: this.state.nodeId,
      managers: swarm.managers,
      onRenewed: (certs) => this.onRenewed(certs),
      log: this.o.log.child({ component: 'certificates' }),
    });
    this.renewer.start();
  }

  /** The manager half of a manager node: the Raft member, its store and the node-to-node API. */
  private async startManager(beforeAgent?: () => Promise<void>, opts: { forceNewCluster?: boolean } = {}): Promise<void> {
    const swarm = this.state.swarm!;
    const manager = await Manager.open({
      dataDir: join(this.o.dataDir, 'manager', 'raft'),
      nodeId: this.state.nodeId,
      addr: swarm.advertiseAddr,
      clock: systemClock,
      rng: systemRng,
      log: this.o.log.child({ component: 'manager' }),
      credentials: () => nodeClientCredentials(this.certs!),
      raft: { ...this.o.raft, forceNewCluster: opts.forceNewCluster ?? false },
      onFatal: (error) => {
        this.o.log.error({ error: String(error) }, 'the manager stopped: shoald exits');
        process.exit(70);
      },
    });
    this.manager = manager;
    this.controlRoute = manager.routeControl(controlHandlers(() => manager.store, systemRng, makeToken, (n) => manager.decorateNode(n), manager.roleChanges()));
    await this.serveCluster();
    if (beforeAgent) await beforeAgent();
    else if (manager.isNew) await manager.join(swarm.managers.filter((a) => a !== swarm.advertiseAddr));
    else manager.start();
  }

  private async stopManager(): Promise<void> {
    await this.clusterServer?.close();
    this.clusterServer = undefined;
    await this.manager?.close();
    this.manager = undefined;
    this.controlRoute = undefined;
    await rm(join(this.o.dataDir, 'manager'), { recursive: true, force: true });
  }

  /**
   * `node promote/demote` took effect in the store (the heartbeat says so): get a certificate for
   * the new role, then start the manager (it joins the Raft group) or stop it.
   */
  private async changeRole(role: 'manager' | 'worker'): Promise<void> {
    const swarm = this.state.swarm;
    if (!swarm || swarm.role === role) return;
    this.changingRole = true;
    try {
      const certs = await renewCertificate(this.managerFor(swarm), this.certs!, this.state.nodeId);
      await writeNodeCerts(this.o.dataDir, certs);
      this.certs = certs;
      this.state = { ...this.state, swarm: { ...swarm, role } };
      await writeNodeState(this.o.dataDir, this.state);
      if (role === 'manager') await this.startManager();
      else await this.stopManager();
      this.o.log.info({ role }, role === 'manager' ? 'promoted: this node is now a manager' : 'demoted: this node is now a worker');
    } catch (e) {
      this.o.log.warn({ role, error: (e as Error).message }, 'could not change role; will retry');
    } finally {
      this.changingRole = false;
    }
  }

  private managerFor(swarm: NonNullable<NodeState['swarm']>): string {
    return swarm.managers.find((a) => a !== swarm.advertiseAddr) ?? swarm.managers[0]!;
  }

  /** (Re)binds the node-to-node API with the current certificate. */
  private async serveCluster(): Promise<void> {
    await this.clusterServer?.close();
    const { host, port } = parseAddr(this.state.swarm!.listenAddr);
    const log = this.o.log.child({ component: 'cluster-api' });
    const transport = { certs: this.certs!, limits: this.o.connectionLimits ?? CONNECTION_LIMITS, log: (msg: string, fields: Record<string, unknown>) => log.warn(fields, msg) };
    this.clusterServer = await serveClusterApi(`${host}:${port}`, transport, this.manager!.clusterServices(this.controlRoute!));
    const l = transport.limits;
    log.info({ addr: `${host}:${port}`, maxConnections: l.maxTotal, maxUnauthenticated: l.maxUnauthenticated, handshakeTimeoutMs: l.handshakeTimeoutMs }, 'node-to-node port listening');
  }

  private async onRenewed(certs: NodeCerts): Promise<void> {
    await writeNodeCerts(this.o.dataDir, certs);
    this.certs = certs;
    if (this.manager) await this.serveCluster();
  }

  private async tearDown(o: { cleanup: boolean }): Promise<void> {
    this.renewer?.stop();
    this.renewer = undefined;
    await this.agent?.stop(o);
    this.agent = undefined;
    await this.dns?.close();
    this.dns = undefined;
    this.vip?.stop();
    this.vip = undefined;
    // Leave removes the containers (and their namespaces with the rules): only the helper process to end.
    this.mesh?.stop();
    this.mesh = undefined;
    // After the agent (and the data path's devices): the rules go only when nothing can send in clear.
    if (o.cleanup) await this.relay?.removeAll();
    else this.relay?.stop();
    this.relay = undefined;
    await this.clusterServer?.close();
    this.clusterServer = undefined;
    await this.manager?.close();
    this.manager = undefined;
    this.controlRoute = undefined;
  }
}
