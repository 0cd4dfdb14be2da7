import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeKeyAndCSR, createRootCA, issueNodeCertificate, peerIdentity, type CallWithAuthContext, type RootCA } from '../../src/ca/index.js';

const NOW = Date.UTC(2025, 5, 1, 8, 30, 0);
let root: RootCA;
let der: Buffer;
let fingerprint256: string;

beforeAll(async () => {
  root = await createRootCA({ clusterId: 'c1', now: NOW });
  const { csrPem } = await createNodeKeyAndCSR({ nodeId: 'node1' });
  const cert = new X509Certificate(await issueNodeCertificate({ csrPem, nodeId: 'node1', role: 'worker', clusterId: 'c1', root, now: NOW }));
  der = cert.raw;
  fingerprint256 = cert.fingerprint256;
});

/** A call whose TLS peer presented `raw` with this fingerprint; counts getAuthContext() calls. */
function callWith(raw: Buffer, fp: string): CallWithAuthContext & { asked: number } {
  const call = {
    asked: 0,
    getAuthContext() {
      call.asked++;
      return { transportSecurityType: 'ssl', sslPeerCertificate: { raw, fingerprint256: fp } as never };
    },
  };
  return call;
}

describe('peerIdentity', () => {
  it('reads the identity from the certificate', () => {
    expect(peerIdentity(callWith(der, fingerprint256))).toEqual({ nodeId: 'node1', role: 'worker', clusterId: 'c1' });
  });

  it('identifies the calls of one connection (one certificate object) without building a key again', () => {
    let keyed = 0;
    const cert = {
      raw: der,
      get fingerprint256() {
        keyed++;
        return fingerprint256;
      },
    };
    const callOn = () => ({ getAuthContext: () => ({ transportSecurityType: 'ssl', sslPeerCertificate: cert as never }) });
    expect(peerIdentity(callOn()).nodeId).toBe('node1');
    const afterFirst = keyed;
    expect(afterFirst).toBeGreaterThan(0);
    expect(peerIdentity(callOn()).nodeId).toBe('node1');
    expect(keyed).toBe(afterFirst);
  });

  it('asks the TLS socket once per call, however often the call is identified', () => {
    const call = callWith(der, fingerprint256);
    peerIdentity(call);
    peerIdentity(call);
    expect(call.asked).toBe(1);
  });

  it('parses a certificate once: later calls with the same certificate are answered from its fingerprint', () => {
    peerIdentity(callWith(der, fingerprint256));
    // The same fingerprint and length: no parse (these bytes would not parse).
    const unparsable = Buffer.alloc(der.length, 0);
    expect(peerIdentity(callWith(unparsable, fingerprint256)).nodeId).toBe('node1');
    expect(() => peerIdentity(callWith(unparsable, 'AA:BB'))).toThrow();
  });
});
