import * as grpc from '@grpc/grpc-js';
import { callUnary, loadProtos, type ControlClient, type SwarmClient, type InitReply__Output, type InfoReply__Output, type Empty__Output, type ListReply__Output, type ObjectReply__Output, type JoinTokensReply__Output } from '@shoal/common/rpc';
import type { Cluster, Node, Service, ServiceSpec, Task } from '@shoal/common';

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

const parseAll = <T>(reply: { objectsJson: string[]; warning?: string }) => {
  warnIfStale(reply);
  return reply.objectsJson.map((j) => parse<T>(j));
};
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
    this.control = new protos.Control(grpcTarget(host), creds) as ControlClient;
    this.swarm = new protos.Swarm(grpcTarget(host), creds) as SwarmClient;
  }

  close(): void {
    this.control.close();
    this.swarm.close();
  }

  // swarm (node-local)
  swarmInit(advertiseAddr: string, listenAddr: string, forceNewCluster = false, certExpiryMs = 0) {
    const req = { advertiseAddr, listenAddr, forceNewCluster, certExpiryMs: String(certExpiryMs) };
    return callUnary<InitReply__Output>((o, cb) => this.swarm.Init(req, o, cb), this.target, 60_000);
  }
  swarmJoin(remoteAddr: string, token: string, advertiseAddr: string, listenAddr: string) {
    return callUnary<InitReply__Output>((o, cb) => this.swarm.Join({ remoteAddr, token, advertiseAddr, listenAddr }, o, cb), this.target, 60_000);
  }
  joinTokens(rotate: '' | 'worker' | 'manager') {
    return callUnary<JoinTokensReply__Output>((o, cb) => this.control.JoinTokens({ rotate }, o, cb), this.target);
  }
  swarmLeave(force: boolean) {
    return callUnary<Empty__Output>((o, cb) => this.swarm.Leave({ force }, o, cb), this.target, 120_000);
  }
  info() {
    return callUnary<InfoReply__Output>((o, cb) => this.swarm.Info({}, o, cb), this.target);
  }

  // control
  async cluster(): Promise<Cluster> {
    return parseOne(await callUnary<ObjectReply__Output>((o, cb) => this.control.GetCluster({}, o, cb), this.target));
  }
  async listNodes(filters: Record<string, string> = {}): Promise<Node[]> {
    return parseAll(await callUnary<ListReply__Output>((o, cb) => this.control.ListNodes({ filters }, o, cb), this.target));
  }
  async getNode(ref: string): Promise<Node> {
    return parseOne(await callUnary<ObjectReply__Output>((o, cb) => this.control.GetNode({ ref }, o, cb), this.target));
  }
  async updateNode(ref: string, changes: { availability?: string; role?: string; labelAdd?: Record<string, string>; labelRm?: string[] }): Promise<Node> {
    const req = { ref, availability: changes.availability ?? '', role: changes.role ?? '', labelAdd: changes.labelAdd ?? {}, labelRm: changes.labelRm ?? [] };
    return parseOne(await callUnary<ObjectReply__Output>((o, cb) => this.control.UpdateNode(req, o, cb), this.target));
  }
  async removeNode(ref: string, force: boolean): Promise<void> {
    await callUnary<Empty__Output>((o, cb) => this.control.RemoveNode({ ref, force }, o, cb), this.target);
  }
  async createService(spec: ServiceSpec): Promise<Service> {
    return parseOne(await callUnary<ObjectReply__Output>((o, cb) => this.control.CreateService({ specJson: JSON.stringify(spec) }, o, cb), this.target));
  }
  async getService(ref: string): Promise<Service> {
    return parseOne(await callUnary<ObjectReply__Output>((o, cb) => this.control.GetService({ ref }, o, cb), this.target));
  }
  async updateService(ref: string, version: number, spec: ServiceSpec): Promise<Service> {
    const req = { ref, version: String(version), specJson: JSON.stringify(spec), rollback: '' };
    return parseOne(await callUnary<ObjectReply__Output>((o, cb) => this.control.UpdateService(req, o, cb), this.target));
  }
  async rollbackService(ref: string): Promise<Service> {
    const req = { ref, version: '0', specJson: '', rollback: 'previous' };
    return parseOne(await callUnary<ObjectReply__Output>((o, cb) => this.control.UpdateService(req, o, cb), this.target));
  }
  async removeService(ref: string): Promise<void> {
    await callUnary<Empty__Output>((o, cb) => this.control.RemoveService({ ref, force: false }, o, cb), this.target);
  }
  async listServices(filters: Record<string, string> = {}): Promise<Service[]> {
    return parseAll(await callUnary<ListReply__Output>((o, cb) => this.control.ListServices({ filters }, o, cb), this.target));
  }
  async listTasks(filters: Record<string, string> = {}): Promise<Task[]> {
    return parseAll(await callUnary<ListReply__Output>((o, cb) => this.control.ListTasks({ filters }, o, cb), this.target));
  }
}
