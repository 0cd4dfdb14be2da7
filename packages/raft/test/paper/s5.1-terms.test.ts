import { describe, expect, it } from 'vitest';
import { Cluster, deliver, drain, entry, msg, newNode, ofType } from './harness.js';

/** Raft paper §5.1: terms act as a logical clock. */
describe('§5.1 terms', () => {
  for (const role of ['follower', 'candidate', 'leader'] as const) {
    it(`a ${role} that sees a message of a higher term takes that term and becomes a follower`, () => {
      const c = new Cluster([1, 2, 3]);
      if (role === 'leader') c.elect(1);
      if (role === 'candidate') {
        c.node(1).campaign();
        drain(c.get(1));
      }
      const before = c.node(1).status();
      expect(before.state).toBe(role);
      // Any type will do; a heartbeat from a leader of a later term.
      c.node(1).step(msg({ type: 'MsgHeartbeat', from: 2, to: 1, term: before.term + 5, commit: 0 }));
      const after = c.node(1).status();
      expect(after.state).toBe('follower');
      expect(after.term).toBe(before.term + 5);
      expect(after.lead).toBe(2);
      expect(after.vote).toBe(0);
    });
  }

  it('a vote request of a higher term also moves the receiver to that term (and it may vote)', () => {
    const n = newNode(1);
    n.node.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 4, index: 0, logTerm: 0 }));
    expect(n.node.status()).toMatchObject({ term: 4, state: 'follower', vote: 2 });
    const [resp] = ofType(drain(n), 'MsgVoteResp');
    expect(resp).toMatchObject({ term: 4, reject: false });
  });

  it('the new term is on stable storage before any reply is sent', () => {
    const n = newNode(1);
    n.node.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 3 }));
    const rd = n.node.ready();
    expect(rd.hardState).toMatchObject({ term: 3, vote: 2 });
    expect(rd.messages.length).toBe(1);
  });

  it('a request with a stale term is rejected: an append from an old leader changes nothing', () => {
    const n = newNode(1, { hardState: { term: 5, vote: 0, commit: 0 } });
    n.node.step(msg({ type: 'MsgApp', from: 2, to: 1, term: 3, index: 0, logTerm: 0, entries: [entry(3, 1, 'stale')], commit: 1 }));
    const out = drain(n);
    expect(n.node.status()).toMatchObject({ term: 5, lastIndex: 0, commit: 0, lead: 0 });
    expect(out.every((m) => !(m.type === 'MsgAppResp' && !m.reject && m.index > 0))).toBe(true);
  });

  it('a stale vote request is not granted', () => {
    const n = newNode(1, { hardState: { term: 5, vote: 0, commit: 0 } });
    n.node.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 4, index: 10, logTerm: 4 }));
    const granted = ofType(drain(n), 'MsgVoteResp').filter((m) => !m.reject);
    expect(granted).toEqual([]);
    expect(n.node.status()).toMatchObject({ term: 5, vote: 0 });
  });

  it('a stale leader learns the current term from the reply (with CheckQuorum) and steps down', () => {
    const oldLeader = newNode(2, { checkQuorum: true });
    oldLeader.node.campaign();
    drain(oldLeader);
    oldLeader.node.step(msg({ type: 'MsgVoteResp', from: 1, to: 2, term: 1 }));
    expect(oldLeader.node.status().state).toBe('leader');
    const sent = drain(oldLeader);
    const follower = newNode(1, { checkQuorum: true, hardState: { term: 3, vote: 0, commit: 0 } });
    deliver(follower, ofType(sent, 'MsgApp'));
    const replies = drain(follower);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((m) => m.term === 3)).toBe(true);
    deliver(oldLeader, replies);
    expect(oldLeader.node.status()).toMatchObject({ state: 'follower', term: 3 });
  });
});
