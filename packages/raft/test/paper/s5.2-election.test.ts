import { describe, expect, it } from 'vitest';
import { Cluster, deliver, drain, msg, newNode, ofType, type TestNode } from './harness.js';

/** Ticks until the node starts a campaign (without PreVote, its term goes up); returns how many ticks it took. */
function ticksToCampaign(n: TestNode, limit: number): number {
  const term = n.node.status().term;
  for (let i = 1; i <= limit; i++) {
    n.node.tick();
    if (n.node.status().term !== term) return i;
  }
  return -1;
}

/** Raft paper §5.2: leader election. */
describe('§5.2 leader election', () => {
  it('a follower that hears nothing for an election timeout becomes a candidate: new term, own vote, MsgVote to every peer', () => {
    const n = newNode(1);
    const ticks = ticksToCampaign(n, 20);
    expect(ticks).toBeGreaterThan(0);
    expect(n.node.status()).toMatchObject({ state: 'candidate', term: 1, vote: 1 });
    const votes = ofType(drain(n), 'MsgVote');
    expect(votes.map((m) => m.to).sort()).toEqual([2, 3]);
    expect(votes.every((m) => m.term === 1)).toBe(true);
  });

  it('a follower that keeps hearing heartbeats from the leader never times out', () => {
    const n = newNode(1);
    for (let i = 0; i < 100; i++) {
      n.node.step(msg({ type: 'MsgHeartbeat', from: 2, to: 1, term: 1 }));
      n.node.tick();
      drain(n);
    }
    expect(n.node.status()).toMatchObject({ state: 'follower', term: 1, lead: 2 });
  });

  it('a candidate wins once a majority (counting itself) grants its vote: 1 more of 3', () => {
    const n = newNode(1);
    n.node.campaign();
    drain(n);
    n.node.step(msg({ type: 'MsgVoteResp', from: 2, to: 1, term: 1 }));
    expect(n.node.status().state).toBe('leader');
  });

  it('in a cluster of 5 a candidate needs 2 grants besides its own; refusals from a majority end the campaign', () => {
    const peers = [1, 2, 3, 4, 5];
    const n = newNode(1, { peers });
    n.node.campaign();
    drain(n);
    n.node.step(msg({ type: 'MsgVoteResp', from: 2, to: 1, term: 1 }));
    expect(n.node.status().state).toBe('candidate');
    n.node.step(msg({ type: 'MsgVoteResp', from: 3, to: 1, term: 1 }));
    expect(n.node.status().state).toBe('leader');

    const loser = newNode(1, { peers });
    loser.node.campaign();
    drain(loser);
    for (const from of [2, 3]) loser.node.step(msg({ type: 'MsgVoteResp', from, to: 1, term: 1, reject: true }));
    expect(loser.node.status().state).toBe('candidate');
    loser.node.step(msg({ type: 'MsgVoteResp', from: 4, to: 1, term: 1, reject: true }));
    expect(loser.node.status().state).toBe('follower');
  });

  it('a new leader announces itself at once to every follower (an append, used as heartbeat)', () => {
    const n = newNode(1);
    n.node.campaign();
    drain(n);
    n.node.step(msg({ type: 'MsgVoteResp', from: 2, to: 1, term: 1 }));
    const apps = ofType(drain(n), 'MsgApp');
    expect(apps.map((m) => m.to).sort()).toEqual([2, 3]);
  });

  it('a server votes for at most one candidate per term, first come first served', () => {
    const n = newNode(1);
    n.node.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 1 }));
    n.node.step(msg({ type: 'MsgVote', from: 3, to: 1, term: 1 }));
    // The first candidate asking again (a retransmission) is still granted.
    n.node.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 1 }));
    const resps = ofType(drain(n), 'MsgVoteResp');
    expect(resps.map((m) => [m.to, m.reject])).toEqual([
      [2, false],
      [3, true],
      [2, false],
    ]);
    expect(n.node.status().vote).toBe(2);
  });

  it('the vote survives a restart: a restarted server does not vote again in the same term', () => {
    const n = newNode(1);
    n.node.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 1 }));
    drain(n);
    const restarted = newNode(1, { storage: n.storage });
    restarted.node.step(msg({ type: 'MsgVote', from: 3, to: 1, term: 1 }));
    const [resp] = ofType(drain(restarted), 'MsgVoteResp');
    expect(resp?.reject).toBe(true);
  });

  it('a candidate that receives an append from a leader of its own term recognizes it and becomes a follower', () => {
    const n = newNode(1);
    n.node.campaign();
    drain(n);
    expect(n.node.status()).toMatchObject({ state: 'candidate', term: 1 });
    n.node.step(msg({ type: 'MsgApp', from: 2, to: 1, term: 1, index: 0, logTerm: 0, entries: [], commit: 0 }));
    expect(n.node.status()).toMatchObject({ state: 'follower', term: 1, lead: 2 });
  });

  it('a candidate ignores an append from a leader of an older term and keeps campaigning', () => {
    const n = newNode(1, { hardState: { term: 3, vote: 0, commit: 0 } });
    n.node.campaign();
    drain(n);
    n.node.step(msg({ type: 'MsgApp', from: 2, to: 1, term: 2, index: 0, logTerm: 0, entries: [], commit: 0 }));
    expect(n.node.status()).toMatchObject({ state: 'candidate', term: 4 });
  });

  it('after a split vote, candidates time out and start a new election in the next term', () => {
    const c = new Cluster([1, 2, 3, 4]);
    // 1 and 2 campaign at once; 3 votes for 1, 4 for 2: neither has 3 of 4.
    c.node(1).campaign();
    c.node(2).campaign();
    const out1 = drain(c.get(1));
    const out2 = drain(c.get(2));
    deliver(c.get(3), out1);
    deliver(c.get(4), out2);
    deliver(c.get(3), out2);
    deliver(c.get(4), out1);
    deliver(c.get(2), out1);
    deliver(c.get(1), out2);
    for (const id of [1, 2, 3, 4]) {
      const replies = drain(c.get(id));
      for (const to of [1, 2]) deliver(c.get(to), replies);
    }
    expect(c.node(1).status().state).not.toBe('leader');
    expect(c.node(2).status().state).not.toBe('leader');
    const n = c.get(1);
    const ticks = ticksToCampaign(n, 40);
    expect(ticks).toBeGreaterThan(0);
    expect(n.node.status()).toMatchObject({ state: 'candidate', term: 2 });
  });

  it('election timeouts are randomized in [election, 2 * election): seeded nodes spread out', () => {
    const election = 10;
    const timeouts: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const n = newNode(1, { seed, election });
      timeouts.push(ticksToCampaign(n, 2 * election));
    }
    for (const t of timeouts) {
      expect(t).toBeGreaterThanOrEqual(election);
      expect(t).toBeLessThan(2 * election);
    }
    expect(new Set(timeouts).size).toBeGreaterThan(3);
  });

  it('a node draws a fresh timeout for each election, so one that lost does not collide forever', () => {
    const election = 10;
    const n = newNode(1, { seed: 5, election });
    const rounds: number[] = [];
    for (let i = 0; i < 8; i++) {
      rounds.push(ticksToCampaign(n, 2 * election));
      drain(n);
    }
    for (const t of rounds) expect(t).toBeGreaterThanOrEqual(election);
    for (const t of rounds) expect(t).toBeLessThan(2 * election);
    expect(new Set(rounds).size).toBeGreaterThan(1);
  });
});
