import { describe, expect, it } from 'vitest';
import { leaderHint } from '../../src/agent/leader-hint.js';

describe('leaderHint', () => {
  it('reads the leader address from a follower dispatcher refusal', () => {
    expect(leaderHint('14 UNAVAILABLE: this manager is not the leader; the leader is at 127.0.0.1:24203')).toBe('127.0.0.1:24203');
    expect(leaderHint('14 UNAVAILABLE: this manager is not the leader; the leader is at [::1]:4242')).toBe('[::1]:4242');
  });

  it('gives nothing when no leader is named', () => {
    expect(leaderHint('14 UNAVAILABLE: this manager is not the leader (no leader elected)')).toBeUndefined();
    expect(leaderHint('manager closed the session')).toBeUndefined();
  });
});
