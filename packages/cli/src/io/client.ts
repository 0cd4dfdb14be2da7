import * as grpc from '@grpc/grpc-js';
import { callUnary, loadProtos, type ListRequest, type ControlClient, type SwarmClient, type InitReply__Output, type InfoReply__Output, type Empty__Output, type ListReply__Output, type ObjectReply__Output, type JoinTokensReply__Output } from '@shoal/common/rpc';
import { ERROR_CODES, ShoalError, isShoalError, type Cluster, type Node, type Service, type ServiceSpec, type Task } from '@shoal/common';
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
type ListCall = (req: ListRequest, o: grpc.CallOptions, cb: Callback<ListReply__Output>) => unknown;
const parseOne = <T>(reply: { objectJson: string; warning?: string }) => {
  warnIfStale(reply);
  return parse<T>(reply.objectJson);
};

/** The daemon's APIs as plain async functions; failures reject with ShoalError (one clear message). */
export class ShoalClient {
  private readonly control: ControlClient;
  private readonly swarm: SwarmClient;
  private readonly target: string;

  constructor(host: string) {
    const protos = loadProtos();
    this.target = `shoald at ${host} (is shoald running?)`;
    const creds = grpc.credentials.createInsecure();
    const options = { 'grpc.max_receive_message_length': MAX_REPLY_BYTES };
    this.control = new protos.Control(grpcTarget(host), creds, options) as ControlClient;
    this.swarm = new protos.Swarm(grpcTarget(host), creds, options) as SwarmClient;
  }

  /** One call; a method the daemon does not know becomes one line saying which versions differ. */
  private async call<T>(method: string, invoke: (o: grpc.CallOptions, cb: Callback<T>) => unknown, timeoutMs?: number): Promise<T> {
    try {
      return await callUnary<T>(invoke, this.target, timeoutMs);
    } catch (e) {
      if (!isShoalError(e) || e.code !== ERROR_CODES.UNIMPLEMENTED) throw e;
      throw new ShoalError(ERROR_CODES.UNIMPLEMENTED, versionMismatchLine(method, cliVersion(), await this.daemonVersion()));
    }
  }

  /** The daemon's version from Info, which every shoald has; undefined when it cannot say. */
  private async daemonVersion(): Promise<string | undefined> {
    try {
      const info = await callUnary<InfoReply__Output>((o, cb) => this.swarm.Info({}, o, cb), this.target, 5_000);
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
      const reply = await this.call<ListReply__Output>(method, (o, cb) => list({ filters, paged: true, pageToken }, o, cb));
      warnIfStale(reply);
      for (const json of reply.objectsJson) out.push(parse<T>(json));
      if (!reply.nextPageToken) return out;
      if (reply.nextPageToken <= pageToken) throw new ShoalError(ERROR_CODES.INTERNAL, `${method}: the daemon sent a page token that does not move forward`);
      pageToken = reply.nextPageToken;
    }
  }

  close(): void {
    this.control.close();
    this.swarm.close();
  }

  // swarm (node-local)
  swarmInit(advertiseAddr: string, listenAddr: string, forceNewCluster = false, certExpiryMs = 0) {
    const req = { advertiseAddr, listenAddr, forceNewCluster, certExpiryMs: String(certExpiryMs) };
    return this.call<InitReply__Output>('Init', (o, cb) => this.swarm.Init(req, o, cb), 60_000);
  }
  swarmJoin(remoteAddr: string, token: string, advertiseAddr: string, listenAddr: string) {
    return this.call<InitReply__Output>('Join', (o, cb) => this.swarm.Join({ remoteAddr, token, advertiseAddr, listenAddr }, o, cb), 60_000);
  }
  joinTokens(rotate: '' | 'worker' | 'manager') {
    return this.call<JoinTokensReply__Output>('JoinTokens', (o, cb) => this.control.JoinTokens({ rotate }, o, cb));
  }
  swarmLeave(force: boolean) {
    return this.call<Empty__Output>('Leave', (o, cb) => this.swarm.Leave({ force }, o, cb), 120_000);
  }
  info() {
    return this.call<InfoReply__Output>('Info', (o, cb) => this.swarm.Info({}, o, cb));
  }

  // control
  async cluster(): Promise<Cluster> {
    return parseOne(await this.call<ObjectReply__Output>('GetCluster', (o, cb) => this.control.GetCluster({}, o, cb)));
  }
  async listNodes(filters: Record<string, string> = {}): Promise<Node[]> {
    return this.listAll('ListNodes', (req, o, cb) => this.control.ListNodes(req, o, cb), filters);
  }
  async updateCluster(version: number, changes: { maxReplicas?: number }): Promise<Cluster> {
    const req = { version: String(version), maxReplicas: String(changes.maxReplicas ?? 0) };
    return parseOne(await this.call<ObjectReply__Output>('UpdateCluster', (o, cb) => this.control.UpdateCluster(req, o, cb)));
  }
  async getNode(ref: string): Promise<Node> {
    return parseOne(await this.call<ObjectReply__Output>('GetNode', (o, cb) => this.control.GetNode({ ref }, o, cb)));
  }
  async updateNode(ref: string, changes: { availability?: string; role?: string; labelAdd?: Record<string, string>; labelRm?: string[] }): Promise<Node> {
    const req = { ref, availability: changes.availability ?? '', role: changes.role ?? '', labelAdd: changes.labelAdd ?? {}, labelRm: changes.labelRm ?? [] };
    return parseOne(await this.call<ObjectReply__Output>('UpdateNode', (o, cb) => this.control.UpdateNode(req, o, cb)));
  }
  async removeNode(ref: string, force: boolean): Promise<void> {
    await this.call<Empty__Output>('RemoveNode', (o, cb) => this.control.RemoveNode({ ref, force }, o, cb));
  }
  async createService(spec: ServiceSpec): Promise<Service> {
    return parseOne(await this.call<ObjectReply__Output>('CreateService', (o, cb) => this.control.CreateService({ specJson: JSON.stringify(spec) }, o, cb)));
  }
  async getService(ref: string): Promise<Service> {
    return parseOne(await this.call<ObjectReply__Output>('GetService', (o, cb) => this.control.GetService({ ref }, o, cb)));
  }
  async updateService(ref: string, version: number, spec: ServiceSpec): Promise<Service> {
    const req = { ref, version: String(version), specJson: JSON.stringify(spec), rollback: '' };
    return parseOne(await this.call<ObjectReply__Output>('UpdateService', (o, cb) => this.control.UpdateService(req, o, cb)));
  }
  async rollbackService(ref: string): Promise<Service> {
    const req = { ref, version: '0', specJson: '', rollback: 'previous' };
    return parseOne(await this.call<ObjectReply__Output>('UpdateService', (o, cb) => this.control.UpdateService(req, o, cb)));
  }
  async removeService(ref: string): Promise<void> {
    await this.call<Empty__Output>('RemoveService', (o, cb) => this.control.RemoveService({ ref, force: false }, o, cb));
  }
  async listServices(filters: Record<string, string> = {}): Promise<Service[]> {
    return this.listAll('ListServices', (req, o, cb) => this.control.ListServices(req, o, cb), filters);
  }
  async listTasks(filters: Record<string, string> = {}): Promise<Task[]> {
    return this.listAll('ListTasks', (req, o, cb) => this.control.ListTasks(req, o, cb), filters);
  }
}
