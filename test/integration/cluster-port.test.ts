import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { NodeRole } from '@shoal/common';
import { CLUSTER_CHANNEL_OPTIONS, loadProtos, unaryHandler, type ControlHandlers, type DispatcherHandlers, type NodeCAHandlers } from '@shoal/common/rpc';
import { ca, CONNECTION_LIMITS } from '@shoal/manager';
import { guardService } from '../../packages/manager/src/edge/io/guard.js';
import type { MembershipView } from '../../packages/manager/src/edge/policy.js';
import { serveClusterApi, type ClusterApi } from '../../packages/daemon/src/cluster-api.js';
import { nodeClientCredentials, pinnedRootCredentials } from '../../packages/daemon/src/tls/credentials.js';
import type { NodeCerts } from '../../packages/daemon/src/tls/node-certs.js';
import { until } from './fixtures.js';

/**
 * The node-to-node port as shoald serves it, on loopback with real certificates: the TLS front
 * (handshake deadline, bounds on connections) and the access policy around every service.
 */
const CLUSTER = 'c1';
const clock = { now: () => Date.now() };
const limits = { ...CONNECTION_LIMITS, handshakeTimeoutMs: 300, maxUnauthenticated: 6, maxUnauthenticatedPerSource: 3, maxTotal: 32 };

let root: ca.RootCA;
let api: ClusterApi;
let addr: string;
const certs: Record<string, NodeCerts> = {};
/** The store's view: m1, m2 managers; d1 was a manager and is now a worker; r1 was removed. */
const roles: Record<string, NodeRole> = { m1: 'manager', m2: 'manager', d1: 'worker' };
const view: MembershipView = { clusterId: CLUSTER, roleOf: (id) => roles[id], inRaftGroup: () => false };

async function certsFor(nodeId: string, role: NodeRole): Promise<NodeCerts> {
  const { keyPem, csrPem } = await ca.createNodeKeyAndCSR({ nodeId });
  const certPem = await ca.issueNodeCertificate({ csrPem, nodeId, role, clusterId: CLUSTER, root, now: Date.now() });
  return { keyPem, certPem, rootCertPem: root.certPem };
}

type Client = grpc.Client & Record<string, (req: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: unknown) => void) => void>;

function call(service: 'Control' | 'NodeCA', method: string, credentials: grpc.ChannelCredentials): Promise<{ code: number; details: string }> {
  const Ctor = loadProtos()[service] as unknown as new (a: string, c: grpc.ChannelCredentials, o: object) => Client;
  const client = new Ctor(addr, credentials, CLUSTER_CHANNEL_OPTIONS);
  return new Promise((resolve) => {
    client[method]!({}, { deadline: Date.now() + 5_000 }, (err) => {
      client.close();
      resolve({ code: err ? err.code : grpc.status.OK, details: err?.details ?? '' });
    });
  });
}

/** Opens a TCP connection that sends nothing; resolves with how it ended. */
function silentConnection(): Promise<{ closedByServer: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(Number(addr.split(':')[1]), '127.0.0.1');
    const giveUp = setTimeout(() => {
      s.destroy();
      resolve({ closedByServer: false });
    }, 10_000);
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(giveUp);
      resolve({ closedByServer: true });
    });
  });
}

beforeAll(async () => {
  root = await ca.createRootCA({ clusterId: CLUSTER, now: Date.now() });
  for (const [id, role] of [['m1', 'manager'], ['m2', 'manager'], ['d1', 'manager'], ['r1', 'manager']] as const) certs[id] = await certsFor(id, role);
  const guard = { view: () => view, clock, log: () => {} };
  const control = guardService('Control', { ListNodes: unaryHandler(async () => ({ itemsJson: [] })) } as unknown as ControlHandlers, guard);
  const nodeCA = guardService('NodeCA', { GetRootCACertificate: unaryHandler(async () => ({ certPem: root.certPem })) } as unknown as NodeCAHandlers, guard);
  api = await serveClusterApi('127.0.0.1:0', { certs: certs.m1!, limits, log: () => {} }, { dispatcher: {} as DispatcherHandlers, control, nodeCA });
  addr = `127.0.0.1:${api.port}`;
});

afterAll(async () => {
  await api?.close();
});

describe('the node-to-node port', () => {
  it('serves a manager that the store says is a manager, over mutual TLS through the front', async () => {
    expect(await call('Control', 'ListNodes', nodeClientCredentials(certs.m2!))).toEqual({ code: grpc.status.OK, details: '' });
  });

  it('forgets a connection once it closes', async () => {
    await call('Control', 'ListNodes', nodeClientCredentials(certs.m2!));
    await until('no connection left', () => (api.counts!().total === 0 ? true : undefined));
  });

  it('refuses a demoted manager at once, though its certificate still says manager', async () => {
    const r = await call('Control', 'ListNodes', nodeClientCredentials(certs.d1!));
    expect(r).toEqual({ code: grpc.status.PERMISSION_DENIED, details: 'node d1 is not a manager of this swarm (its role is worker)' });
  });

  it('refuses a removed node', async () => {
    const r = await call('Control', 'ListNodes', nodeClientCredentials(certs.r1!));
    expect(r.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(r.details).toMatch(/^node r1 is not a member of this swarm/);
  });

  it('refuses a manager certificate for a current manager that another CA signed (same cluster ID and node ID)', async () => {
    const forger = await ca.createRootCA({ clusterId: CLUSTER, now: Date.now() });
    const { keyPem, csrPem } = await ca.createNodeKeyAndCSR({ nodeId: 'm2' });
    const certPem = await ca.issueNodeCertificate({ csrPem, nodeId: 'm2', role: 'manager', clusterId: CLUSTER, root: forger, now: Date.now() });
    // The client trusts our root (it pins the server), but presents the forged certificate.
    const r = await call('Control', 'ListNodes', nodeClientCredentials({ keyPem, certPem, rootCertPem: root.certPem }));
    expect(r).toEqual({ code: grpc.status.UNAUTHENTICATED, details: 'the caller presented no verified node certificate' });
  });

  it('lets a caller without a certificate reach the root certificate, and nothing else', async () => {
    expect((await call('NodeCA', 'GetRootCACertificate', pinnedRootCredentials(root.certPem))).code).toBe(grpc.status.OK);
    expect(await call('Control', 'ListNodes', pinnedRootCredentials(root.certPem))).toEqual({
      code: grpc.status.UNAUTHENTICATED,
      details: 'the caller presented no verified node certificate',
    });
  });

  it('closes a connection that never starts its TLS handshake', async () => {
    expect(await silentConnection()).toEqual({ closedByServer: true });
  });

  it('holds no more unauthenticated connections from one source than its bound, and refuses the rest at once', async () => {
    const patient = { ...limits, handshakeTimeoutMs: 60_000 };
    const other = await serveClusterApi('127.0.0.1:0', { certs: certs.m1!, limits: patient, log: () => {} }, { dispatcher: {} as DispatcherHandlers });
    try {
      const sockets = Array.from({ length: 10 }, () => net.connect(other.port, '127.0.0.1').on('error', () => {}));
      let closed = 0;
      const excess = 10 - patient.maxUnauthenticatedPerSource;
      // Without the bound, nothing would close before the 60 s handshake deadline (the test would time out).
      await new Promise<void>((resolve) => sockets.forEach((s) => s.once('close', () => ++closed === excess && resolve())));
      expect(other.counts!()).toEqual({ total: patient.maxUnauthenticatedPerSource, unauthenticated: patient.maxUnauthenticatedPerSource });
      for (const s of sockets) s.destroy();
      await until('every connection forgotten', () => (other.counts!().total === 0 ? true : undefined));
    } finally {
      await other.close();
    }
  });

  it('cuts a connection without a node certificate after its lifetime, once its handshake is done', async () => {
    const brief = { ...limits, unauthenticatedLifetimeMs: 300 };
    const other = await serveClusterApi('127.0.0.1:0', { certs: certs.m1!, limits: brief, log: () => {} }, { dispatcher: {} as DispatcherHandlers });
    try {
      const socket = tls.connect({ host: '127.0.0.1', port: other.port, ca: root.certPem, servername: 'shoal-node', ALPNProtocols: ['h2'], checkServerIdentity: () => undefined });
      socket.on('error', () => {});
      socket.resume();
      const secure = await new Promise<boolean>((resolve) => socket.once('secureConnect', () => resolve(true)).once('close', () => resolve(false)));
      expect(secure).toBe(true);
      // Without the lifetime, the server would keep it: the test would time out here.
      await new Promise((resolve) => socket.once('close', resolve));
      await until('the connection forgotten', () => (other.counts!().total === 0 ? true : undefined));
    } finally {
      await other.close();
    }
  });
});
