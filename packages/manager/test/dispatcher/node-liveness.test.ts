import { describe, expect, it } from 'vitest';
import { MISSED_HEARTBEATS_LIMIT, NodeLiveness } from '../../src/dispatcher/node-liveness.js';

describe('NodeLiveness', () => {
  it('marks a node down after two silent periods, not before', () => {
    expect(MISSED_HEARTBEATS_LIMIT).toBe(2);
    const l = new NodeLiveness(1_000);
    l.beat('n1', 0);
    l.beat('n2', 0);
    l.beat('n2', 1_500);
    expect(l.expired(2_000)).toEqual([]);
    expect(l.expired(2_001)).toEqual(['n1']);
    expect(l.expired(3_501)).toEqual(['n2']);
  });

  it('forgets an expired node until it beats again', () => {
    const l = new NodeLiveness(1_000, 3);
    l.beat('n1', 0);
    expect(l.expired(3_001)).toEqual(['n1']);
    expect(l.expired(10_000)).toEqual([]);
    l.beat('n1', 10_000);
    expect(l.expired(13_001)).toEqual(['n1']);
  });
});
