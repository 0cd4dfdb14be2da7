import { describe, expect, it } from 'vitest';
import { MISSED_HEARTBEATS_LIMIT, NodeLiveness } from '../../src/dispatcher/node-liveness.js';

describe('NodeLiveness', () => {
  it('marks a node down after `missedLimit` silent periods, not before', () => {
    expect(MISSED_HEARTBEATS_LIMIT).toBe(3);
    const l = new NodeLiveness(1_000, 2);
    l.beat('n1', 0);
    l.beat('n2', 0);
    l.beat('n2', 1_500);
    for (let t = 0; t <= 2_000; t += 100) expect(l.expired(t)).toEqual([]);
    expect(l.expired(2_001)).toEqual(['n1']);
    for (let t = 2_100; t <= 3_500; t += 100) expect(l.expired(t)).toEqual([]);
    expect(l.expired(3_501)).toEqual(['n2']);
  });

  it('does not hold its own stall against the nodes', () => {
    const l = new NodeLiveness(1_000, 2);
    l.beat('n1', 0);
    expect(l.expired(100)).toEqual([]);
    // the process did not run for 4 s: the beats sent meanwhile are still unread
    expect(l.expired(4_100)).toEqual([]);
    expect(l.expired(4_200)).toEqual([]);
    for (let t = 4_300; t <= 6_000; t += 100) expect(l.expired(t)).toEqual([]);
    expect(l.expired(6_100)).toEqual(['n1']);
  });

  it('forgets an expired node until it beats again', () => {
    const l = new NodeLiveness(1_000, 3);
    l.beat('n1', 0);
    const downs: number[] = [];
    for (let t = 0; t <= 10_000; t += 100) {
      if (t === 5_000) l.beat('n1', t);
      if (l.expired(t).includes('n1')) downs.push(t);
    }
    expect(downs).toEqual([3_100, 8_100]);
  });
});
