import { describe, expect, it } from 'vitest';
import { Network } from './network.js';

/** Three nodes with an elected leader, which is then cut off as if killed. */
function leaderKilled(seed = 1) {
  const net = new Network([1, 2, 3], { seed });
  const dead = net.electLeader();
  net.tick(3);
  net.isolate(dead);
  const [a, b] = [1, 2, 3].filter((id) => id !== dead) as [number, number];
  return { net, dead, a, b };
}

describe('forgetLeader (a follower told its leader is gone)', () => {
  it('grants a pre-vote at once instead of ignoring it for the rest of the lease', () => {
    // Without it: the survivor still in the dead leader's lease ignores the pre-vote, so the
    // campaign fails and the survivors wait another election timeout.
    const before = leaderKilled();
    before.net.tick();
    before.net.node(before.a).campaign();
    before.net.settle();
    expect(before.net.node(before.a).status().state).not.toBe('leader');

    const { net, a, b } = leaderKilled();
    net.tick();
    net.node(b).forgetLeader();
    expect(net.node(b).status().lead).toBe(0);
    net.node(a).campaign();
    net.settle();
    expect(net.node(a).status().state).toBe('leader');
    expect(net.node(b).status().lead).toBe(a);
  });

  it('campaigns within one election timeout (10 ticks) rather than after at least one', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { net, a, b } = leaderKilled(seed);
      const term = net.node(a).status().term;
      net.node(a).forgetLeader();
      net.node(b).forgetLeader();
      let campaignedAt: number | undefined;
      for (let t = 1; t <= 30 && campaignedAt === undefined; t++) {
        net.tick();
        const s = net.node(a).status();
        if (s.state !== 'follower' || s.term > term || s.lead === b) campaignedAt = t;
      }
      expect(campaignedAt, `seed ${seed}`).toBeLessThan(10);
      net.tick(60);
      const leaders = net.leaders().filter((id) => id === a || id === b);
      expect(leaders, `seed ${seed}`).toHaveLength(1);
    }
  });

  it('is undone by a heartbeat from a live leader: no election, same term', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const term = net.node(leader).status().term;
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    net.node(follower).forgetLeader();
    net.tick();
    expect(net.node(follower).status().lead).toBe(leader);
    net.tick(50);
    expect(net.leaders()).toEqual([leader]);
    expect(net.node(leader).status().term).toBe(term);
  });

  it('is a no-op on a leader', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    net.node(leader).forgetLeader();
    expect(net.node(leader).status()).toMatchObject({ state: 'leader', lead: leader });
  });
});
