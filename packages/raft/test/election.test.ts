import { describe, expect, it } from 'vitest';
import { Network } from './network.js';

describe('elections', () => {
  it('three nodes elect exactly one leader, which the others follow', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    net.tick(30);
    expect(net.leaders()).toEqual([leader]);
    const term = net.node(leader).status().term;
    for (const { node } of net.members.values()) {
      expect(node.status().lead).toBe(leader);
      expect(node.status().term).toBe(term);
    }
  });

  it('a single node elects itself', () => {
    const net = new Network([1]);
    expect(net.electLeader()).toBe(1);
  });

  it('a partitioned minority elects nobody and, with PreVote, does not raise its term', () => {
    const net = new Network([1, 2, 3, 4, 5]);
    const leader = net.electLeader();
    const term = net.node(leader).status().term;
    const minority = [1, 2, 3, 4, 5].filter((id) => id !== leader).slice(0, 2);
    net.isolate(...minority);
    net.tick(100);
    for (const id of minority) {
      expect(net.node(id).status().state).not.toBe('leader');
      expect(net.node(id).status().term).toBe(term);
    }
    expect(net.leaders()).toEqual([leader]);

    net.heal();
    net.tick(5);
    expect(net.leaders()).toEqual([leader]);
    expect(net.node(leader).status().term).toBe(term);
    for (const { node } of net.members.values()) expect(node.status().lead).toBe(leader);
  });

  it('without PreVote the same minority raises its term and disrupts the leader on healing', () => {
    const net = new Network([1, 2, 3], { preVote: false, checkQuorum: false });
    const leader = net.electLeader();
    const term = net.node(leader).status().term;
    const other = leader === 1 ? 2 : 1;
    net.isolate(other);
    net.tick(50);
    expect(net.node(other).status().term).toBeGreaterThan(term);
    net.heal();
    net.tick(30); // the next campaign of the cut-off node reaches the leader
    expect(net.node(leader).status().term).toBeGreaterThan(term);
  });

  it('an isolated leader steps down under CheckQuorum and the majority elects another', () => {
    const net = new Network([1, 2, 3]);
    const old = net.electLeader();
    net.isolate(old);
    net.tick(25);
    expect(net.node(old).status().state).toBe('follower');
    const others = net.leaders();
    expect(others).toHaveLength(1);
    expect(others[0]).not.toBe(old);

    net.heal();
    net.tick(5);
    expect(net.leaders()).toEqual(others);
    expect(net.node(old).status().lead).toBe(others[0]);
  });

  it('a leader without CheckQuorum stays leader when isolated', () => {
    const net = new Network([1, 2, 3], { checkQuorum: false });
    const old = net.electLeader();
    net.isolate(old);
    net.tick(25);
    expect(net.node(old).status().state).toBe('leader');
  });

  it('is reproducible: the same seed gives the same leader and the same messages', () => {
    const run = (seed: number) => {
      const net = new Network([1, 2, 3, 4, 5], { seed });
      const leader = net.electLeader();
      net.node(leader).propose('x');
      net.tick(5);
      return { leader, trace: net.trace };
    };
    const a = run(42);
    const b = run(42);
    expect(b.leader).toBe(a.leader);
    expect(b.trace).toEqual(a.trace);
    expect(a.trace.length).toBeGreaterThan(10);
    const leaders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => run(seed).leader));
    expect(leaders.size).toBeGreaterThan(1);
  });
});
