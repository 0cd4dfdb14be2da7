import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, seededRng } from '@shoal/common';
import {
  DIGEST_LENGTH,
  bytesToBase36,
  checkRootDigest,
  createNodeKeyAndCSR,
  createRootCA,
  issueNodeCertificate,
  newJoinToken,
  parseJoinToken,
  renewalTime,
  secureRandomBytes,
  verifyNodeCertificate,
  type RootCA,
} from '../../src/ca/index.js';

const NOW = Date.UTC(2025, 5, 1, 8, 30, 0);
const DAY = 24 * 3600 * 1000;
const CLUSTER = 'cluster0abc';

const unauthenticated = (message: RegExp) => expect.objectContaining({ code: ERROR_CODES.UNAUTHENTICATED, message: expect.stringMatching(message) });

async function issue(root: RootCA, nodeId: string, role: 'worker' | 'manager', extra: { now?: number; lifetimeMs?: number } = {}) {
  const { keyPem, csrPem } = await createNodeKeyAndCSR({ nodeId });
  const certPem = await issueNodeCertificate({ csrPem, nodeId, role, clusterId: CLUSTER, root, now: extra.now ?? NOW, lifetimeMs: extra.lifetimeMs });
  return { keyPem, certPem };
}

let root: RootCA;
let otherRoot: RootCA;

beforeAll(async () => {
  root = await createRootCA({ clusterId: CLUSTER, now: NOW });
  otherRoot = await createRootCA({ clusterId: CLUSTER, now: NOW });
});

describe('createRootCA', () => {
  it('makes a self-signed P-256 CA named for the cluster, valid 20 years', () => {
    const cert = new X509Certificate(root.certPem);
    expect(cert.subject).toBe(`CN=shoal-root-ca\nO=${CLUSTER}`);
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.ca).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new Date(cert.validTo).getUTCFullYear()).toBe(2045);
    expect(new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(NOW);
    expect(root.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(cert.checkPrivateKey(createPrivateKey(root.keyPem))).toBe(true);
  });

  it('digests the DER with sha256 in base36, usable in a join token', () => {
    const der = new X509Certificate(root.certPem).raw;
    expect(root.digest).toBe(bytesToBase36(new Uint8Array(createHash('sha256').update(der).digest())));
    expect(root.digest).toHaveLength(DIGEST_LENGTH);
    expect(otherRoot.digest).not.toBe(root.digest);
    const token = newJoinToken(root.digest, secureRandomBytes);
    expect(parseJoinToken(token).digest).toBe(root.digest);
  });

  it('pins the CA: checkRootDigest accepts the right CA and refuses another', () => {
    expect(() => checkRootDigest(root.certPem, root.digest)).not.toThrow();
    expect(() => checkRootDigest(otherRoot.certPem, root.digest)).toThrow(
      unauthenticated(/the manager's CA does not match the join token \(is the token from this swarm\?\)/),
    );
  });
});

describe('node certificates', () => {
  it('issues CN=nodeId, OU=role, O=cluster, SAN DNS nodeId, server+client auth, signed by the root', async () => {
    const { keyPem, certPem } = await issue(root, 'node1', 'worker');
    const cert = new X509Certificate(certPem);
    expect(cert.subject).toBe(`CN=node1\nOU=swarm-worker\nO=${CLUSTER}`);
    expect(cert.subjectAltName).toBe('DNS:node1');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(new X509Certificate(root.certPem))).toBe(true);
    expect(cert.verify(new X509Certificate(root.certPem).publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(new Date(cert.validTo).getTime()).toBe(NOW + 90 * DAY);
  });

  it('uses a fresh random serial for each certificate', async () => {
    const a = new X509Certificate((await issue(root, 'node1', 'worker')).certPem);
    const b = new X509Certificate((await issue(root, 'node1', 'worker')).certPem);
    expect(a.serialNumber).not.toBe(b.serialNumber);
  });

  it('takes the identity from the manager, not from the CSR subject', async () => {
    const { csrPem } = await createNodeKeyAndCSR({ nodeId: 'chosen-by-node' });
    const certPem = await issueNodeCertificate({ csrPem, nodeId: 'assigned', role: 'manager', clusterId: CLUSTER, root, now: NOW });
    expect(new X509Certificate(certPem).subject).toBe(`CN=assigned\nOU=swarm-manager\nO=${CLUSTER}`);
  });

  it('refuses a malformed or tampered CSR', async () => {
    const params = { nodeId: 'n1', role: 'worker' as const, clusterId: CLUSTER, root, now: NOW };
    await expect(issueNodeCertificate({ ...params, csrPem: 'garbage' })).rejects.toThrow(/invalid certificate signing request/);
    const { csrPem } = await createNodeKeyAndCSR({ nodeId: 'n1' });
    const tampered = tamperPem(csrPem);
    await expect(issueNodeCertificate({ ...params, csrPem: tampered })).rejects.toThrow(/invalid certificate signing request/);
  });

  it('verifies a good certificate and returns its identity and window', async () => {
    const { certPem } = await issue(root, 'mgr1', 'manager');
    const verified = await verifyNodeCertificate(certPem, root.certPem, NOW);
    expect(verified).toEqual({ nodeId: 'mgr1', role: 'manager', clusterId: CLUSTER, notBefore: NOW - 3600_000, notAfter: NOW + 90 * DAY });
  });

  it('refuses a certificate from another CA, an expired one, a future one, a tampered one and garbage', async () => {
    const foreign = await issue(otherRoot, 'node1', 'worker');
    await expect(verifyNodeCertificate(foreign.certPem, root.certPem, NOW)).rejects.toThrow(unauthenticated(/not issued by this swarm's CA/));
    const { certPem } = await issue(root, 'node1', 'worker', { lifetimeMs: 10 * DAY });
    await expect(verifyNodeCertificate(certPem, root.certPem, NOW + 11 * DAY)).rejects.toThrow(unauthenticated(/has expired/));
    await expect(verifyNodeCertificate(certPem, root.certPem, NOW - 2 * DAY)).rejects.toThrow(unauthenticated(/not valid yet/));
    await expect(verifyNodeCertificate(tamperPem(certPem), root.certPem, NOW)).rejects.toThrow(expect.objectContaining({ code: ERROR_CODES.UNAUTHENTICATED }));
    await expect(verifyNodeCertificate('nope', root.certPem, NOW)).rejects.toThrow(unauthenticated(/not a valid PEM certificate/));
  });

  it('a short-lived certificate is still valid at its renewal time, and the renewed one is valid after the old expires', async () => {
    const lifetimeMs = 10_000;
    const first = await verifyNodeCertificate((await issue(root, 'node2', 'worker', { lifetimeMs })).certPem, root.certPem, NOW);
    const renewAt = renewalTime(first.notBefore, first.notAfter, seededRng(3));
    expect(renewAt).toBeGreaterThan(NOW);
    expect(renewAt).toBeLessThan(first.notAfter);
    const second = (await issue(root, 'node2', 'worker', { now: renewAt, lifetimeMs })).certPem;
    await expect(verifyNodeCertificate(second, root.certPem, first.notAfter + 1000)).resolves.toMatchObject({ nodeId: 'node2' });
  });

  it('refuses the root certificate itself as a node certificate', async () => {
    await expect(verifyNodeCertificate(root.certPem, root.certPem, NOW)).rejects.toThrow(expect.objectContaining({ code: ERROR_CODES.UNAUTHENTICATED }));
  });
});

/** Flips a bit near the end of the signed body so the signature no longer matches. */
function tamperPem(pem: string): string {
  const lines = pem.trim().split('\n');
  const body = Buffer.from(lines.slice(1, -1).join(''), 'base64');
  body[Math.floor(body.length / 2)]! ^= 0x01;
  const b64 = body.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `${lines[0]}\n${b64}\n${lines[lines.length - 1]}\n`;
}
