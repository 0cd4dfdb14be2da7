import { describe, expect, it } from 'vitest';
import { Cluster, drain, newNode } from './harness.js';

/** A cluster of voters 1, 2, 3 and learner 4, with 1 leading and its term's entry committed. */
function withLearner(): Cluster {
  const c = new Cluster([1, 2, 3, 4], { peers: [1, 2, 3], learners: [4] });
  c.elect(1);
  c.node(1).tick();
  c.flush();
  return c;
}

/**
 * Raft paper §6 (and the thesis, chapter 4): membership changes, here one server at a time
 * (single-server changes) with learners (non-voting members) to catch new servers up.
 */
describe('§6 cluster membership changes', () => {
  it('a learner receives the log but does not count toward the commit quorum', () => {
    const c = withLearner();
    c.down.add(2).add(3);
    c.node(1).propose('x');
    c.flush();
    expect(c.log(4).map((e) => e.data)).toContain('x');
    expect(c.node(1).status().commit).toBe(1);
    c.down.clear();
    c.node(1).tick();
    c.flush();
    expect(c.node(1).status().commit).toBe(2);
  });

  it('a learner never campaigns, however long it hears nothing', () => {
    const c = withLearner();
    for (let i = 0; i < 100; i++) c.node(4).tick();
    expect(drain(c.get(4))).toEqual([]);
    expect(c.node(4).status()).toMatchObject({ state: 'follower', term: 1 });
  });

  it('a change takes effect on each server when it applies the entry, not before', () => {
    const c = withLearner();
    expect(c.node(1).proposeConfChange({ type: 'addVoter', node: 4, context: '' })).toBe(true);
    expect(c.node(1).status().voters).toEqual([1, 2, 3]);
    c.flush();
    c.node(1).tick();
    c.flush();
    for (const id of [1, 2, 3, 4]) expect(c.node(id).status(), `node ${id}`).toMatchObject({ voters: [1, 2, 3, 4], learners: [] });
  });

  it('a promoted learner counts: with 4 voters, 3 acknowledgements are needed to commit', () => {
    const c = withLearner();
    c.node(1).proposeConfChange({ type: 'addVoter', node: 4, context: '' });
    c.flush();
    c.node(1).tick();
    c.flush();
    const commit = c.node(1).status().commit;
    c.down.add(3).add(4);
    c.node(1).propose('x');
    c.flush();
    expect(c.node(1).status().commit).toBe(commit); // 1 and 2 are 2 of 4
    c.down.delete(4);
    c.node(1).tick();
    c.flush();
    expect(c.node(1).status().commit).toBe(commit + 1);
  });

  it('only one change at a time: another is refused while one is not yet applied', () => {
    const c = withLearner();
    expect(c.node(1).proposeConfChange({ type: 'addVoter', node: 4, context: '' })).toBe(true);
    expect(c.node(1).proposeConfChange({ type: 'remove', node: 3, context: '' })).toBe(false);
    c.flush();
    expect(c.node(1).proposeConfChange({ type: 'remove', node: 3, context: '' })).toBe(true);
  });

  it('a conf entry arriving as an ordinary proposal is refused the same way while another is pending', () => {
    const c = withLearner();
    c.node(1).proposeConfChange({ type: 'addVoter', node: 4, context: '' });
    expect(c.node(1).propose(JSON.stringify({ type: 'remove', node: 3, context: '' }), 'conf')).toBe(false);
  });

  it('a new leader accepts a change only once an entry of its own term is committed', () => {
    const c = new Cluster([1, 2, 3]);
    c.node(1).campaign();
    // Elected, but its term's entry is not yet acknowledged.
    const out = drain(c.get(1));
    for (const m of out) c.node(m.to).step(m);
    for (const id of [2, 3]) for (const m of drain(c.get(id))) c.node(1).step(m);
    expect(c.node(1).status().state).toBe('leader');
    expect(c.node(1).status().commit).toBe(0);
    expect(c.node(1).proposeConfChange({ type: 'addLearner', node: 4, context: '' })).toBe(false);
    c.flush();
    expect(c.node(1).proposeConfChange({ type: 'addLearner', node: 4, context: '' })).toBe(true);
  });

  it('changes that make no sense are refused: adding an existing voter, removing a non-member, removing the last voter', () => {
    const c = withLearner();
    expect(c.node(1).proposeConfChange({ type: 'addVoter', node: 2, context: '' })).toBe(false);
    expect(c.node(1).proposeConfChange({ type: 'remove', node: 9, context: '' })).toBe(false);
    const solo = new Cluster([1]);
    solo.elect(1);
    expect(solo.node(1).proposeConfChange({ type: 'remove', node: 1, context: '' })).toBe(false);
  });

  it('only the leader accepts a change', () => {
    const c = withLearner();
    expect(c.node(2).proposeConfChange({ type: 'remove', node: 3, context: '' })).toBe(false);
  });

  it('a leader that removes itself steps down once the change is applied, and the others elect a leader among themselves', () => {
    const c = withLearner();
    c.node(1).proposeConfChange({ type: 'remove', node: 1, context: '' });
    c.flush();
    expect(c.node(1).status().state).toBe('follower');
    c.node(1).tick();
    c.flush();
    c.node(2).campaign();
    c.flush();
    expect(c.node(2).status()).toMatchObject({ state: 'leader', voters: [2, 3] });
    c.node(2).propose('after');
    c.flush();
    expect(c.log(3).map((e) => e.data)).toContain('after');
  });

  it('a removed server is no longer sent entries', () => {
    const c = withLearner();
    c.node(1).proposeConfChange({ type: 'remove', node: 3, context: '' });
    c.flush();
    c.node(1).propose('after');
    c.flush();
    expect(c.log(2).map((e) => e.data)).toContain('after');
    expect(c.log(3).map((e) => e.data)).not.toContain('after');
    expect(Object.keys(c.node(1).status().progress).map(Number).sort()).toEqual([1, 2, 4]);
  });

  it('a server joining with no configuration never campaigns before it learns the cluster from a snapshot', () => {
    const joiner = newNode(5, { peers: [] });
    for (let i = 0; i < 100; i++) joiner.node.tick();
    expect(drain(joiner)).toEqual([]);
  });
});
