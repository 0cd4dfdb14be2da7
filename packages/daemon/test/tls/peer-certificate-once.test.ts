import { afterEach, describe, expect, it } from 'vitest';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { ca } from '@shoal/manager';
import { peerCertificateOnce } from '../../src/tls/tls-front.js';

const CLUSTER = 'c1';

async function nodeCerts(root: ca.RootCA, nodeId: string) {
  const { keyPem, csrPem } = await ca.createNodeKeyAndCSR({ nodeId });
  const certPem = await ca.issueNodeCertificate({ csrPem, nodeId, role: 'manager', clusterId: CLUSTER, root, now: Date.now() });
  return { key: keyPem, cert: certPem, ca: root.certPem };
}

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

/** A mutual-TLS connection on loopback: resolves with the server's side of it once established. */
async function connect(): Promise<tls.TLSSocket> {
  const root = await ca.createRootCA({ clusterId: CLUSTER, now: Date.now() });
  const [server, client] = [await nodeCerts(root, 'm1'), await nodeCerts(root, 'm2')];
  const accepted = new Promise<tls.TLSSocket>((resolve) => {
    const srv = tls.createServer({ ...server, requestCert: true, rejectUnauthorized: false }, resolve);
    closers.push(() => srv.close());
    srv.listen(0, '127.0.0.1', () => {
      const c = tls.connect({ ...client, host: '127.0.0.1', port: (srv.address() as AddressInfo).port, checkServerIdentity: () => undefined });
      c.on('error', () => {});
      closers.push(() => c.destroy());
    });
  });
  const socket = await accepted;
  closers.push(() => socket.destroy());
  return socket;
}

describe('peerCertificateOnce', () => {
  it('answers every later call on the connection with the one certificate read at the handshake', async () => {
    const socket = await connect();
    expect(socket.authorized).toBe(true);
    expect(socket.getPeerCertificate()).not.toBe(socket.getPeerCertificate()); // Node builds it anew
    peerCertificateOnce(socket);
    const first = socket.getPeerCertificate();
    expect(first.subject.CN).toBe('m2');
    expect(socket.getPeerCertificate()).toBe(first);
    // The detailed form (with the issuer chain) is still Node's own.
    expect(socket.getPeerCertificate(true).issuerCertificate).toBeDefined();
  });
});
