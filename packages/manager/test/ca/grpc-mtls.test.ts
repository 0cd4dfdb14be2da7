import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type NodeRole } from '@shoal/common';
import { createNodeKeyAndCSR, createRootCA, issueNodeCertificate, peerIdentity, type NodeIdentity, type RootCA } from '../../src/ca/index.js';

/** TLS checks validity against the real clock, so these certificates are issued now. */
const CLUSTER = 'grpccluster';
const SERVER_ID = 'manager0';

interface Pems {
  keyPem: string;
  certPem: string;
}

async function nodePems(root: RootCA, nodeId: string, role: NodeRole): Promise<Pems> {
  const { keyPem, csrPem } = await createNodeKeyAndCSR({ nodeId });
  const certPem = await issueNodeCertificate({ csrPem, nodeId, role, clusterId: CLUSTER, root, now: Date.now() });
  return { keyPem, certPem };
}

/** A one-method service with JSON messages: independent of the project's protos. */
interface WhoAmIReply {
  nodeId: string;
  role: string;
}
const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown,
};
const WHO_AM_I_SERVICE: grpc.ServiceDefinition = {
  WhoAmI: {
    path: '/shoal.test.Echo/WhoAmI',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};
const WhoAmIClient = grpc.makeGenericClientConstructor(WHO_AM_I_SERVICE, 'Echo');

let root: RootCA;
let otherRoot: RootCA;
let server: grpc.Server;
let address: string;
const seen: NodeIdentity[] = [];

async function startServer(pems: Pems): Promise<void> {
  server = new grpc.Server();
  server.addService(WHO_AM_I_SERVICE, {
    WhoAmI(call: grpc.ServerUnaryCall<unknown, WhoAmIReply>, callback: grpc.sendUnaryData<WhoAmIReply>) {
      const peer = peerIdentity(call);
      seen.push(peer);
      callback(null, { nodeId: peer.nodeId, role: peer.role });
    },
  });
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(root.certPem),
    [{ cert_chain: Buffer.from(pems.certPem), private_key: Buffer.from(pems.keyPem) }],
    true,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  address = `127.0.0.1:${port}`;
}

function whoAmI(trustedRootPem: string, client?: Pems): Promise<WhoAmIReply> {
  const credentials = client
    ? grpc.credentials.createSsl(Buffer.from(trustedRootPem), Buffer.from(client.keyPem), Buffer.from(client.certPem))
    : grpc.credentials.createSsl(Buffer.from(trustedRootPem));
  const stub = new WhoAmIClient(address, credentials, { 'grpc.ssl_target_name_override': SERVER_ID });
  return new Promise<WhoAmIReply>((resolve, reject) => {
    const callback = (err: grpc.ServiceError | null, reply?: WhoAmIReply) => {
      stub.close();
      if (err) reject(err);
      else resolve(reply as WhoAmIReply);
    };
    stub.makeUnaryRequest('/shoal.test.Echo/WhoAmI', json.serialize, (b) => json.deserialize(b) as WhoAmIReply, {}, { deadline: Date.now() + 5000 }, callback);
  });
}

beforeAll(async () => {
  root = await createRootCA({ clusterId: CLUSTER, now: Date.now() });
  otherRoot = await createRootCA({ clusterId: CLUSTER, now: Date.now() });
  await startServer(await nodePems(root, SERVER_ID, 'manager'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

describe('grpc-js mutual TLS with CA-issued PEMs', () => {
  it('accepts a client certificate from the swarm CA and exposes the peer identity', async () => {
    const worker = await nodePems(root, 'worker7', 'worker');
    const reply = await whoAmI(root.certPem, worker);
    expect(reply.nodeId).toBe('worker7');
    expect(reply.role).toBe('worker');
    expect(seen.at(-1)).toEqual({ nodeId: 'worker7', role: 'worker', clusterId: CLUSTER });
  });

  it('sees a manager as a manager', async () => {
    const manager = await nodePems(root, 'manager9', 'manager');
    expect((await whoAmI(root.certPem, manager)).role).toBe('manager');
  });

  it('refuses a client without a certificate', async () => {
    const calls = seen.length;
    await expect(whoAmI(root.certPem)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, details: expect.stringMatching(/certificate required/) });
    expect(seen.length).toBe(calls);
  });

  it('refuses a client whose certificate comes from another CA', async () => {
    const calls = seen.length;
    const stranger = await nodePems(otherRoot, 'worker8', 'worker');
    await expect(whoAmI(root.certPem, stranger)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(seen.length).toBe(calls);
  });

  it('a client that trusts another CA refuses this server', async () => {
    const client = await nodePems(otherRoot, 'worker8', 'worker');
    await expect(whoAmI(otherRoot.certPem, client)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, details: expect.stringMatching(/certificate/) });
  });

  it('peerIdentity parses a certificate once: the same certificate gives the same frozen identity', async () => {
    const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const callWith = (pem: string) => ({ getAuthContext: () => ({ sslPeerCertificate: { raw: der(pem) } as never }) });
    const [a, b] = [await nodePems(root, 'worker11', 'worker'), await nodePems(root, 'manager12', 'manager')];
    const first = peerIdentity(callWith(a.certPem));
    expect(peerIdentity(callWith(a.certPem))).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual({ nodeId: 'worker11', role: 'worker', clusterId: CLUSTER });
    expect(peerIdentity(callWith(b.certPem))).toEqual({ nodeId: 'manager12', role: 'manager', clusterId: CLUSTER });
  });

  it('peerIdentity refuses a call without a verified certificate', () => {
    const bare = { getAuthContext: () => ({}) };
    expect(() => peerIdentity(bare)).toThrow(expect.objectContaining({ code: ERROR_CODES.UNAUTHENTICATED }));
  });
});
