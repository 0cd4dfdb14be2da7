import { describe, expect, it } from 'vitest';
import { ERROR_CODES, seededRng } from '@shoal/common';
import {
  NODE_CERT_LIFETIME_MS,
  assertDigestMatches,
  assertRole,
  assertWithinWindow,
  identityFromSubject,
  issuanceWindow,
  nodeSubject,
  renewalDelay,
  renewalTime,
  rootSubject,
  rootWindow,
} from '../../src/ca/index.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0, 123);

describe('renewalTime', () => {
  it('falls between 50% and 80% of the lifetime', () => {
    const rng = seededRng(7);
    const notBefore = 1_000_000;
    const notAfter = notBefore + NODE_CERT_LIFETIME_MS;
    const times = Array.from({ length: 1000 }, () => renewalTime(notBefore, notAfter, rng));
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(notBefore + 0.5 * NODE_CERT_LIFETIME_MS);
      expect(t).toBeLessThanOrEqual(notBefore + 0.8 * NODE_CERT_LIFETIME_MS);
    }
    // spread out, not all the same point
    expect(new Set(times).size).toBeGreaterThan(900);
    expect(Math.min(...times)).toBeLessThan(notBefore + 0.55 * NODE_CERT_LIFETIME_MS);
    expect(Math.max(...times)).toBeGreaterThan(notBefore + 0.75 * NODE_CERT_LIFETIME_MS);
  });

  it('is reproducible from a seed and gives the bounds at the rng extremes', () => {
    expect(renewalTime(0, 1000, seededRng(1))).toBe(renewalTime(0, 1000, seededRng(1)));
    expect(renewalTime(0, 1000, { next: () => 0 })).toBe(500);
    expect(renewalTime(0, 1000, { next: () => 0.9999999 })).toBe(799);
  });

  it('renewalDelay counts from now and never goes negative', () => {
    expect(renewalDelay(0, 1000, 100, { next: () => 0 })).toBe(400);
    expect(renewalDelay(0, 1000, 900, { next: () => 0 })).toBe(0);
  });

  it('asserts on an empty window', () => {
    expect(() => renewalTime(10, 10, seededRng(1))).toThrow(/assertion failed/);
  });
});

describe('validity windows', () => {
  it('node certificates live 90 days, backdated for clock skew, in whole seconds', () => {
    const w = issuanceWindow(NOW, NODE_CERT_LIFETIME_MS);
    expect(w.notAfter).toBe(Date.UTC(2025, 3, 15, 12, 0, 0));
    expect(w.notBefore).toBe(Date.UTC(2025, 0, 15, 11, 0, 0));
  });

  it('short lifetimes are backdated by a tenth only, so renewal stays in the future', () => {
    const w = issuanceWindow(NOW, 10_000);
    expect(w.notAfter - w.notBefore).toBeLessThanOrEqual(11_000);
    expect(renewalTime(w.notBefore, w.notAfter, { next: () => 0 })).toBeGreaterThan(NOW);
  });

  it('roots live twenty calendar years', () => {
    const w = rootWindow(NOW);
    expect(new Date(w.notAfter).toISOString()).toBe('2045-01-15T12:00:00.000Z');
    expect(w.notBefore).toBeLessThan(NOW);
  });

  it('checks now against both ends', () => {
    const w = { notBefore: 1000, notAfter: 2000 };
    expect(() => assertWithinWindow(w, 1000, 'cert')).not.toThrow();
    expect(() => assertWithinWindow(w, 2000, 'cert')).not.toThrow();
    expect(() => assertWithinWindow(w, 999, 'cert')).toThrow(/cert is not valid yet/);
    expect(() => assertWithinWindow(w, 2001, 'cert')).toThrow(expect.objectContaining({ code: ERROR_CODES.UNAUTHENTICATED, message: expect.stringMatching(/has expired/) }));
  });
});

describe('identity in subject names', () => {
  it('encodes node ID, role and cluster and reads them back', () => {
    expect(nodeSubject({ nodeId: 'n1', role: 'worker', clusterId: 'c1' })).toEqual([{ CN: ['n1'] }, { OU: ['swarm-worker'] }, { O: ['c1'] }]);
    expect(rootSubject('c1')).toEqual([{ CN: ['shoal-root-ca'] }, { O: ['c1'] }]);
    expect(identityFromSubject({ CN: ['n1'], OU: ['swarm-manager'], O: ['c1'] })).toEqual({ nodeId: 'n1', role: 'manager', clusterId: 'c1' });
  });

  it('refuses invalid IDs when issuing and strange subjects when reading', () => {
    expect(() => nodeSubject({ nodeId: 'Bad Id', role: 'worker', clusterId: 'c1' })).toThrow(/invalid node ID/);
    expect(() => nodeSubject({ nodeId: 'n1', role: 'admin' as 'worker', clusterId: 'c1' })).toThrow(/invalid node role/);
    expect(() => rootSubject('')).toThrow(/invalid cluster ID/);
    expect(() => identityFromSubject({ CN: ['n1'], OU: ['swarm-admin'], O: ['c1'] })).toThrow(/unknown role/);
    expect(() => identityFromSubject({ CN: ['n1', 'n2'], OU: ['swarm-worker'], O: ['c1'] })).toThrow(/exactly one common name/);
    expect(() => identityFromSubject({ CN: ['n1'], OU: [], O: ['c1'] })).toThrow(expect.objectContaining({ code: ERROR_CODES.UNAUTHENTICATED }));
  });

  it('assertRole lets allowed roles through and refuses others', () => {
    const worker = { nodeId: 'n1', role: 'worker' as const, clusterId: 'c1' };
    expect(() => assertRole(worker, ['worker', 'manager'])).not.toThrow();
    expect(() => assertRole(worker, ['manager'])).toThrow(expect.objectContaining({ code: ERROR_CODES.PERMISSION_DENIED }));
  });
});

describe('root pin', () => {
  it('refuses a CA that does not match the token', () => {
    expect(() => assertDigestMatches('abc', 'abc')).not.toThrow();
    expect(() => assertDigestMatches('abc', 'abd')).toThrow("the manager's CA does not match the join token (is the token from this swarm?)");
  });
});
