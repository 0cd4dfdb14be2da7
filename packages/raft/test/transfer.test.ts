import { describe, expect, it } from 'vitest';
import { NONE } from '../src/index.js';
import { appliedData, Network } from './network.js';

describe('leadership transfer', () => {
  it('hands leadership to an up-to-date follower at once, without PreVote, in the next term', () => {
    const net = new Network([1, 2, 3]);
    const old = net.electLeader();
    net.node(old).propose('before');
    net.tick(2);
    const term = net.node(old).status().term;
    const target = old === 1 ? 2 : 1;

    expect(net.node(old).transferLeadership(target)).toBe(true);
    net.settle();
    expect(net.leaders()).toEqual([target]);
    expect(net.node(target).status().term).toBe(term + 1);
    expect(net.trace).toContain(`MsgTimeoutNow ${old}->${target} t${term} i0 lt0 c0 n0`);
    // The target campaigned directly (MsgVote), not through a pre-election.
    const afterTimeout = net.trace.slice(net.trace.findIndex((t) => t.startsWith('MsgTimeoutNow')));
    expect(afterTimeout.some((t) => t.startsWith(`MsgPreVote ${target}`))).toBe(false);
    expect(afterTimeout.some((t) => t.startsWith(`MsgVote ${target}`))).toBe(true);

    net.tick(3);
    expect(net.leaders()).toEqual([target]);
    for (const { node } of net.members.values()) expect(node.status().lead).toBe(target);
    expect(net.node(target).propose('after')).toBe(true);
    net.tick(2);
    for (const m of net.members.values()) expect(appliedData(m)).toEqual(['before', 'after']);
  });

  it('brings a lagging follower up to date first, refusing proposals meanwhile', () => {
    const net = new Network([1, 2, 3]);
    const old = net.electLeader();
    const slow = old === 3 ? 2 : 3;
    net.isolate(slow);
    for (let i = 0; i < 20; i++) net.node(old).propose(`e${i}`);
    net.tick(2);
    expect(net.node(slow).status().lastIndex).toBeLessThan(net.node(old).status().lastIndex);

    net.heal();
    expect(net.node(old).transferLeadership(slow)).toBe(true);
    expect(net.node(old).status().leadTransferee).toBe(slow);
    expect(net.node(old).propose('during')).toBe(false);
    net.tick(3);
    expect(net.leaders()).toEqual([slow]);
    expect(net.node(old).status()).toMatchObject({ state: 'follower', lead: slow, leadTransferee: NONE });
    net.tick(2);
    const expected = Array.from({ length: 20 }, (_, i) => `e${i}`);
    for (const m of net.members.values()) expect(appliedData(m)).toEqual(expected);
  });

  it('is abandoned after an election timeout if the target does not take over', () => {
    const net = new Network([1, 2, 3]);
    const old = net.electLeader();
    const term = net.node(old).status().term;
    const target = old === 1 ? 2 : 1;
    net.isolate(target);
    net.node(old).propose('x');
    net.tick(1);

    expect(net.node(old).transferLeadership(target)).toBe(true);
    expect(net.node(old).propose('refused')).toBe(false);
    net.tick(5);
    expect(net.node(old).status().leadTransferee).toBe(target);
    net.tick(5); // one election timeout (10 ticks) after the request
    expect(net.node(old).status()).toMatchObject({ state: 'leader', term, leadTransferee: NONE });
    expect(net.node(old).propose('accepted')).toBe(true);
    net.tick(2);
    expect(appliedData(net.member(old))).toEqual(['x', 'accepted']);
  });

  it('is refused by a follower and for an unknown or own id', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const follower = leader === 1 ? 2 : 1;
    expect(net.node(follower).transferLeadership(leader)).toBe(false);
    expect(net.node(leader).transferLeadership(leader)).toBe(false);
    expect(net.node(leader).transferLeadership(9)).toBe(false);
    expect(net.node(leader).propose('still-leading')).toBe(true);
  });
});
