import { describe, expect, it } from 'vitest';
import type { NetworkTable } from '@shoal/common';
import { NetworkFeed, parseNetworkTable, type NetworkConsumer } from '../../src/agent/network-feed.js';

const table = (name: string): NetworkTable => ({ networks: [{ id: name, name, allocation: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vxlanId: 1 }, internal: false, attachable: false, driverOpts: {}, services: [], endpoints: [] }] });
const nameOf = (t: NetworkTable) => t.networks[0]?.name ?? '(empty)';

/** A consumer whose applies finish when the test says, recording what it was given. */
function gated() {
  const applied: string[] = [];
  const gates: (() => void)[] = [];
  let failNext = false;
  const consumer: NetworkConsumer = {
    apply: (t) =>
      new Promise<void>((resolve, reject) => {
        applied.push(nameOf(t));
        const fail = failNext;
        failNext = false;
        gates.push(() => (fail ? reject(new Error('iptables is busy')) : resolve()));
      }),
  };
  const open = async () => {
    await Promise.resolve();
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { consumer, applied, open, failOnce: () => (failNext = true), waiting: () => gates.length };
}

describe('NetworkFeed', () => {
  it('applies one table at a time per consumer and skips to the newest of those that waited', async () => {
    const c = gated();
    const feed = new NetworkFeed([c.consumer], () => {});
    void feed.offer(table('a'));
    await new Promise((r) => setImmediate(r));
    void feed.offer(table('b'));
    void feed.offer(table('c'));
    const last = feed.offer(table('d'));
    await new Promise((r) => setImmediate(r));
    expect(c.applied).toEqual(['a']);
    await c.open();
    expect(c.applied).toEqual(['a', 'd']);
    await c.open();
    await last;
    expect(c.applied).toEqual(['a', 'd']);
    expect(c.waiting()).toBe(0);
  });

  it('reports a failed apply, lets the other consumers go on, and retries the newest table', async () => {
    const bad = gated();
    const good = gated();
    const errors: string[] = [];
    const feed = new NetworkFeed([bad.consumer, good.consumer], (i, e) => errors.push(`${i}: ${e.message}`));
    bad.failOnce();
    const done = feed.offer(table('a'));
    await bad.open();
    await good.open();
    await done;
    expect(errors).toEqual(['0: iptables is busy']);
    const retried = feed.retry();
    await bad.open();
    await retried;
    expect(bad.applied).toEqual(['a', 'a']);
    expect(good.applied).toEqual(['a']);
    await feed.retry();
    expect(bad.applied).toEqual(['a', 'a']);
    expect(feed.table && nameOf(feed.table)).toBe('a');
  });

  it('parses a table, and refuses text that is not one', () => {
    expect(parseNetworkTable('{"networks":[]}')).toEqual({ networks: [] });
    expect(() => parseNetworkTable('{"nets":[]}')).toThrow('has no "networks" list');
    expect(() => parseNetworkTable('{')).toThrow();
  });
});
