import type * as grpc from '@grpc/grpc-js';
import type { callUnary as CallUnary, ListRequest, ControlClient, SwarmClient, InitReply__Output, InfoReply__Output, Empty__Output, ListReply__Output, ObjectReply__Output, JoinTokensReply__Output } from '@shoal/common/rpc';
import { ERROR_CODES, ShoalError, isShoalError, type Cluster, type Network, type NetworkSpec, type Node, type Service, type ServiceSpec, type Task } from '@shoal/common';
import type { AddrPool } from '../parse/addr-pool.js';
import { versionMismatchLine } from '../render/version-mismatch.js';
import { cliVersion } from './cli-version.js';

export const DEFAULT_HOST = 'unix:///run/shoal/shoal.sock';

/** Where the CLI finds shoald: -H, then SHOAL_HOST, then the default socket (like docker's -H/DOCKER_HOST). */
export function resolveHost(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.SHOAL_HOST || DEFAULT_HOST;
}

function grpcTarget(host: string): string {
  if (host.startsWith('unix://')) return `unix:${host.slice('unix://'.length)}`;
  if (host.startsWith('tcp://')) return host.slice('tcp://'.length);
  return host;
}

const parse = <T>(json: string) => JSON.parse(json) as T;

/** A manager without quorum answers reads from its last known state and says so: pass it on. */
function warnIfStale(reply: { warning?: string }): void {
  if (reply.warning) process.stderr.write(`WARNING: ${reply.warning}\n`);
}

/**
 * The largest reply the CLI takes. Managers page listings at about 2 MiB and one object is at most
 * about 1 MiB, so 16 MiB leaves room for a daemon from before paging without letting a reply
 * grow without end.
 */
export const MAX_REPLY_BYTES = 16 * 1024 * 1024;

type Callback<T> = (err: grpc.ServiceError | null, res?: T) => void;
interface Stubs { control: ControlClient; swarm: SwarmClient; callUnary: typeof CallUnary }
type Invoke<T> = (s: Stubs, o: grpc.CallOptions, cb: Callback<T>) => unknown;
type ListCall = (s: Stubs, req: ListRequest, o: grpc.CallOptions, cb: Callback<ListReply__Output>) => unknown;

/**
 * gRPC and the contracts are loaded on the first call, not at start: `--help`, `--version` and
 * argument errors need neither, and they are most of what a command costs before it talks.
 */
async function connect(host: string): Promise<Stubs> {
  const rpc = await import('@shoal/common/rpc');
  const protos = rpc.loadProtos();
  const creds = rpc.insecureCredentials();
  const options = { 'grpc.max_receive_message_length': MAX_REPLY_BYTES };
  const control = new protos.Control(grpcTarget(host), creds, options) as ControlClient;
  const swarm = new protos.Swarm(grpcTarget(host), creds, options) as SwarmClient;
  return { control, swarm, callUnary: rpc.callUnary };
}
const parseOne = <T>(reply: { objectJson: string; warning?: string }) => {
  warnIfStale(reply);
  return parse<T>(reply.objectJson);
};

/** The daemon's APIs as plain async functions; failures reject with ShoalError (one clear message). */
export class ShoalClient {
  private readonly target: string;
  private stubs: Promise<Stubs> | undefined;
  private open: Stubs | undefined;
  private closed = false;

  constructor(private readonly host: string) {
    this.target = `shoald at ${host} (is shoald running?)`;
  }

  private async ready(): Promise<Stubs> {
    this.stubs ??= connect(this.host).then((s) => {
      this.open = s;
      if (this.closed) this.close();
      return s;
    });
    return this.stubs;
  }

  /** One call; a method the daemon does not know becomes one line saying which versions differ. */
  private async call<T>(method: string, invoke: Invoke<T>, timeoutMs?: number): Promise<T> {
    const s = await this.ready();
    try {
      return await s.callUnary<T>((o, cb) => invoke(s, o, cb), this.target, timeoutMs);
    } catch (e) {
      if (!isShoalError(e) || e.code !== ERROR_CODES.UNIMPLEMENTED) throw e;
      throw new ShoalError(ERROR_CODES.UNIMPLEMENTED, versionMismatchLine(method, cliVersion(), await this.daemonVersion()));
    }
  }

  /** The daemon's version from Info, which every shoald has; undefined when it cannot say. */
  private async daemonVersion(): Promise<string | undefined> {
    try {
      const s = await this.ready();
      const info = await s.callUnary<InfoReply__Output>((o, cb) => s.swarm.Info({}, o, cb), this.target, 5_000);
      return info.version || undefined;
    } catch {
      return undefined;
    }
  }

  /** Every page of a listing (see ListRequest in control.proto); page tokens must move forward. */
  private async listAll<T>(method: string, list: ListCall, filters: Record<string, string>): Promise<T[]> {
    const out: T[] = [];
    let pageToken = '';
    for (;;) {
      const reply = await this.call<ListReply__Output>(method, (s, o, cb) => list(s, { filters, paged: true, pageToken }, o, cb));
      warnIfStale(reply);
      for (const json of reply.objectsJson) out.push(parse<T>(json));
      if (!reply.nextPageToken) return out;
      if (reply.nextPageToken <= pageToken) throw new ShoalError(ERROR_CODES.INTERNAL, `${method}: the daemon sent a page token that does not move forward`);
      pageToken = reply.nextPageToken;
    }
  }

  close(): void {
    this.closed = true;
    this.open?.control.close();
    this.open?.swarm.close();
    this.open = undefined;
  }

  // swarm (node-local)
  swarmInit(advertiseAddr: string, listenAddr: string, forceNewCluster = false, certExpiryMs = 0, pool: AddrPool = { cidrs: [], maskLen: 0 }, ingressSubnet = '') {
    const req = { advertiseAddr, listenAddr, forceNewCluster, certExpiryMs: String(certExpiryMs), defaultAddrPool: [...pool.cidrs], defaultAddrPoolMaskLen: pool.maskLen, ingressSubnet };
    return this.call<InitReply__Output>('Init', (s, o, cb) => s.swarm.Init(req, o, cb), 60_000);
  }
  swarmJoin(remoteAddr: string, token: string, advertiseAddr: string, listenAddr: string) {
    return this.call<InitReply__Output>('Join', (s, o, cb) => s.swarm.Join({ remoteAddr, token, advertiseAddr, listenAddr }, o, cb), 60_000);
  }
  joinTokens(rotate: '' | 'worker' | 'manager') {
    return this.call<JoinTokensReply__Output>('JoinTokens', (s, o, cb) => s.control.JoinTokens({ rotate }, o, cb));
  }
  swarmLeave(force: boolean) {
    return this.call<Empty__Output>('Leave', (s, o, cb) => s.swarm.Leave({ force }, o, cb), 120_000);
  }
  info() {
    return this.call<InfoReply__Output>('Info', (s, o, cb) => s.swarm.Info({}, o, cb));
  }

  // control
  async cluster(): Promise<Cluster> {
    return parseOne(await this.call<ObjectReply__Output>('GetCluster', (s, o, cb) => s.control.GetCluster({}, o, cb)));
  }
  async listNodes(filters: Record<string, string> = {}): Promise<Node[]> {
    return this.listAll('ListNodes', (s, req, o, cb) => s.control.ListNodes(req, o, cb), filters);
  }
  async updateCluster(version: number, changes: { maxReplicas?: number }): Promise<Cluster> {
    const req = { version: String(version), maxReplicas: String(changes.maxReplicas ?? 0) };
    return parseOne(await this.call<ObjectReply__Output>('UpdateCluster', (s, o, cb) => s.control.UpdateCluster(req, o, cb)));
  }
  async getNode(ref: string): Promise<Node> {
    return parseOne(await this.call<ObjectReply__Output>('GetNode', (s, o, cb) => s.control.GetNode({ ref }, o, cb)));
  }
  async updateNode(ref: string, changes: { availability?: string; role?: string; labelAdd?: Record<string, string>; labelRm?: string[] }): Promise<Node> {
    const req = { ref, availability: changes.availability ?? '', role: changes.role ?? '', labelAdd: changes.labelAdd ?? {}, labelRm: changes.labelRm ?? [] };
    return parseOne(await this.call<ObjectReply__Output>('UpdateNode', (s, o, cb) => s.control.UpdateNode(req, o, cb)));
  }
  async removeNode(ref: string, force: boolean): Promise<void> {
    await this.call<Empty__Output>('RemoveNode', (s, o, cb) => s.control.RemoveNode({ ref, force }, o, cb));
  }
  async createService(spec: ServiceSpec): Promise<Service> {
    return parseOne(await this.call<ObjectReply__Output>('CreateService', (s, o, cb) => s.control.CreateService({ specJson: JSON.stringify(spec) }, o, cb)));
  }
  async getService(ref: string): Promise<Service> {
    return parseOne(await this.call<ObjectReply__Output>('GetService', (s, o, cb) => s.control.GetService({ ref }, o, cb)));
  }
  async updateService(ref: string, version: number, spec: ServiceSpec): Promise<Service> {
    const req = { ref, version: String(version), specJson: JSON.stringify(spec), rollback: '' };
    return parseOne(await this.call<ObjectReply__Output>('UpdateService', (s, o, cb) => s.control.UpdateService(req, o, cb)));
  }
  async rollbackService(ref: string): Promise<Service> {
    const req = { ref, version: '0', specJson: '', rollback: 'previous' };
    return parseOne(await this.call<ObjectReply__Output>('UpdateService', (s, o, cb) => s.control.UpdateService(req, o, cb)));
  }
  async removeService(ref: string): Promise<void> {
    await this.call<Empty__Output>('RemoveService', (s, o, cb) => s.control.RemoveService({ ref, force: false }, o, cb));
  }
  async listServices(filters: Record<string, string> = {}): Promise<Service[]> {
    return this.listAll('ListServices', (s, req, o, cb) => s.control.ListServices(req, o, cb), filters);
  }
  async listTasks(filters: Record<string, string> = {}): Promise<Task[]> {
    return this.listAll('ListTasks', (s, req, o, cb) => s.control.ListTasks(req, o, cb), filters);
  }
  async createNetwork(spec: NetworkSpec): Promise<Network> {
    return parseOne(await this.call<ObjectReply__Output>('CreateNetwork', (s, o, cb) => s.control.CreateNetwork({ specJson: JSON.stringify(spec) }, o, cb)));
  }
  async getNetwork(ref: string): Promise<Network> {
    return parseOne(await this.call<ObjectReply__Output>('GetNetwork', (s, o, cb) => s.control.GetNetwork({ ref }, o, cb)));
  }
  async listNetworks(filters: Record<string, string> = {}): Promise<Network[]> {
    return this.listAll('ListNetworks', (s, req, o, cb) => s.control.ListNetworks(req, o, cb), filters);
  }
  async removeNetwork(ref: string): Promise<void> {
    await this.call<Empty__Output>('RemoveNetwork', (s, o, cb) => s.control.RemoveNetwork({ ref, force: false }, o, cb));
  }
}
