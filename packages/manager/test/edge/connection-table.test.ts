import { describe, expect, it } from 'vitest';
import { ConnectionTable, connectionLimitsFor, CONNECTION_LIMITS, withHandshakesPerSource } from '../../src/edge/connection-table.js';

const limits = { ...CONNECTION_LIMITS, maxTotal: 5, maxUnauthenticated: 3, maxUnauthenticatedPerSource: 2 };

describe('the connection table of the node-to-node port', () => {
  it('bounds unauthenticated connections per source and in all', () => {
    const t = new ConnectionTable(limits);
    expect(t.open('a').ok).toBe(true);
    expect(t.open('a').ok).toBe(true);
    expect(t.open('a')).toEqual({ ok: false, reason: '2 unauthenticated connections open from a' });
    expect(t.open('b').ok).toBe(true);
    expect(t.open('c')).toEqual({ ok: false, reason: '3 unauthenticated connections open' });
  });

  it('frees the unauthenticated room once a connection proves its certificate, and bounds the total', () => {
    const t = new ConnectionTable(limits);
    for (let i = 0; i < 5; i++) {
      const o = t.open('a');
      if (!o.ok) throw new Error(o.reason);
      t.authenticated(o.id);
    }
    expect(t.counts()).toEqual({ total: 5, unauthenticated: 0 });
    expect(t.open('b')).toEqual({ ok: false, reason: '5 connections open' });
  });

  it('counts a close once, whenever it is reported', () => {
    const t = new ConnectionTable(limits);
    const o = t.open('a');
    if (!o.ok) throw new Error(o.reason);
    t.closed(o.id);
    t.closed(o.id);
    t.authenticated(o.id);
    expect(t.counts()).toEqual({ total: 0, unauthenticated: 0 });
    expect(t.open('a').ok && t.open('a').ok).toBe(true);
  });

  it('keeps the port well inside the process file limit', () => {
    expect(connectionLimitsFor(1024)).toMatchObject({ maxTotal: 512, maxUnauthenticated: 128 });
    expect(connectionLimitsFor(20_000).maxTotal).toBe(14_744);
    expect(connectionLimitsFor(64)).toMatchObject({ maxTotal: 32, maxUnauthenticated: 32, maxUnauthenticatedPerSource: 16 });
  });

  it('takes more handshakes from one source when told (--max-handshakes-per-source), within the unauthenticated bound', () => {
    const t = new ConnectionTable(withHandshakesPerSource(limits, 3));
    for (let i = 0; i < 3; i++) expect(t.open('127.0.0.1').ok).toBe(true);
    expect(t.open('127.0.0.1')).toEqual({ ok: false, reason: '3 unauthenticated connections open' });
    expect(withHandshakesPerSource(CONNECTION_LIMITS, 1_000).maxUnauthenticatedPerSource).toBe(CONNECTION_LIMITS.maxUnauthenticated);
    expect(() => withHandshakesPerSource(CONNECTION_LIMITS, 0)).toThrow();
  });
});
