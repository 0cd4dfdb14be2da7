import { describe, expect, it } from 'vitest';
import { noQuorumError, staleReadWarning } from '../../src/raft/quorum.js';

describe('the error a write gets when there is no leader', () => {
  it('says no quorum when too few managers are reachable', () => {
    expect(noQuorumError({ reachable: 1, total: 3 }).message).toBe('no quorum: 1 of 3 managers reachable');
    expect(noQuorumError({ reachable: 2, total: 5 }).message).toBe('no quorum: 2 of 5 managers reachable');
  });

  it('says an election is under way when a quorum is reachable (not "no quorum: 3 of 3")', () => {
    expect(noQuorumError({ reachable: 3, total: 3 }).message).toBe('no leader yet: the managers are electing one (3 of 3 managers reachable)');
    expect(noQuorumError({ reachable: 2, total: 3 }).message).toMatch(/^no leader yet/);
    expect(staleReadWarning({ reachable: 3, total: 3 })).toMatch(/^no leader yet: .* may be stale$/);
  });
});
