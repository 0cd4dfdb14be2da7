import { randomInt, seededRng, type Rng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { decodeConfChange, encodeConfChange, MemoryStorage, RaftNode, type ConfChange, type NodeId } from '../src/index.js';
import { appliedData, Network } from './network.js';
import { checkPrefixes } from './check-prefixes.js';
import { ack, drain, soloLeader } from './single-node.js';

const learner = (node: NodeId): ConfChange => ({ type: 'addLearner', node, context: `addr-${node}` });
const voter = (node: NodeId): ConfChange => ({ type: 'addVoter', node, context: '' });
const remove = (node: NodeId): ConfChange => ({ type: 'remove', node, context: '' });

/** A 3-node cluster with some history, compacted at the leader, and node 4 added as a learner. */
function withLearner(): { net: Network; leader: NodeId } {
  const net = new Network([1, 2, 3]);
  const leader = net.electLeader();
  for (let i = 0; i < 20; i++) net.node(leader).propose(`e${i}`);
  net.tick(2);
  net.compact(leader);
  net.addNode(4);
  expect(net.node(leader).proposeConfChange(learner(4))).toBe(true);
  net.tick(3);
  return { net, leader };
}

describe('conf change encoding', () => {
  it('round-trips through entry data, as a string or as bytes', () => {
    const cc = learner(7);
    expect(decodeConfChange(encodeConfChange(cc))).toEqual(cc);
    expect(decodeConfChange(new TextEncoder().encode(encodeConfChange(cc)))).toEqual(cc);
    expect(() => decodeConfChange('{"type":"promote","node":1,"context":""}')).toThrow(/not a conf change/);
  });
});

describe('learners', () => {
  it('a joining node (no peers) gets the configuration from the snapshot and catches up', () => {
    const { net, leader } = withLearner();
    const m4 = net.member(4);
    expect(m4.snapshotsRestored).toBe(1);
    expect(m4.node.status()).toMatchObject({ voters: [1, 2, 3], learners: [4], lead: leader });
    expect(appliedData(m4)).toEqual(appliedData(net.member(leader)));
    for (const id of [1, 2, 3]) expect(net.node(id).status()).toMatchObject({ voters: [1, 2, 3], learners: [4] });
    const progress = net.node(leader).status().progress;
    expect(progress[4]).toMatchObject({ learner: true, match: net.node(leader).status().lastIndex });
    const follower = leader === 1 ? 2 : 1;
    expect(progress[follower]?.learner).toBe(false);
    expect(net.node(follower).status().progress).toEqual({});
  });

  it('a learner acknowledgement does not commit, and a learner never campaigns', () => {
    const { net, leader } = withLearner();
    for (const id of [1, 2, 3]) if (id !== leader) net.isolate(id);
    const before = net.node(leader).status().commit;
    net.node(leader).propose('lonely');
    net.settle();
    const st = net.node(leader).status();
    expect(st.progress[4]?.match).toBe(st.lastIndex);
    expect(st.commit).toBe(before);
    // CheckQuorum counts voters only: the leader hears from the learner but steps down.
    net.tick(25);
    expect(net.node(leader).status().state).toBe('follower');
    // Nobody can win: the learner never even asks.
    net.tick(100);
    expect(net.leaders()).toEqual([]);
    expect(net.trace.some((t) => /^Msg(Pre)?Vote 4->/.test(t))).toBe(false);
    expect(net.node(4).status().state).toBe('follower');
  });

  it('a node with no configuration never campaigns', () => {
    const node = new RaftNode({ id: 9, peers: [], storage: new MemoryStorage(), rng: seededRng(1) });
    for (let i = 0; i < 100; i++) node.tick();
    node.campaign();
    expect(node.status()).toMatchObject({ state: 'follower', term: 0, voters: [], learners: [] });
    expect(node.ready().messages).toEqual([]);
  });
});

describe('promotion and removal', () => {
  it('addVoter promotes a learner: 4 voters, quorum 3', () => {
    const { net, leader } = withLearner();
    expect(net.node(leader).proposeConfChange(voter(4))).toBe(true);
    net.tick(2);
    for (const id of [1, 2, 3, 4]) expect(net.node(id).status()).toMatchObject({ voters: [1, 2, 3, 4], learners: [] });
    const [a, b] = [1, 2, 3].filter((id) => id !== leader) as [NodeId, NodeId];
    // Leader + 4 + one more voter: 3 of 4 commit.
    net.isolate(a);
    net.node(leader).propose('three of four');
    net.settle();
    expect(net.node(leader).status().commit).toBe(net.node(leader).status().lastIndex);
    // Leader + 4 alone: 2 of 4 do not.
    net.heal();
    net.isolate(a, b);
    net.node(leader).propose('two of four');
    net.settle();
    expect(net.node(leader).status().commit).toBe(net.node(leader).status().lastIndex - 1);
    net.heal();
    net.tick(2);
    for (const id of [1, 2, 3, 4]) expect(appliedData(net.member(id)).at(-1)).toBe('two of four');
  });

  it('removes a voter, then the leader itself, which steps down while the rest elect a leader', () => {
    const net = new Network([1, 2, 3, 4, 5]);
    const leader = net.electLeader();
    const gone = leader === 5 ? 4 : 5;
    expect(net.node(leader).proposeConfChange(remove(gone))).toBe(true);
    net.tick(2);
    const rest = [1, 2, 3, 4, 5].filter((id) => id !== gone);
    for (const id of rest) expect(net.node(id).status().voters).toEqual(rest);
    expect(net.node(leader).status().progress[gone]).toBeUndefined();

    expect(net.node(leader).proposeConfChange(remove(leader))).toBe(true);
    net.settle();
    expect(net.node(leader).status()).toMatchObject({ state: 'follower', voters: rest.filter((id) => id !== leader) });
    const next = net.electLeader();
    expect(next).not.toBe(leader);
    expect(net.node(next).status().voters).toEqual(rest.filter((id) => id !== leader));
    net.node(next).propose('after');
    net.tick(2);
    for (const id of rest.filter((i) => i !== leader)) expect(appliedData(net.member(id)).at(-1)).toBe('after');
    // Removed nodes never campaign again.
    net.tick(50);
    expect(net.leaders()).toEqual([next]);
  });

  it('re-checks the commit index when a removal shrinks the quorum', () => {
    const s = soloLeader([1, 2, 3, 4]);
    ack(s, 2, 1);
    ack(s, 3, 1);
    expect(s.node.proposeConfChange(remove(4))).toBe(true); // index 2
    expect(s.node.propose('x')).toBe(true); // index 3
    drain(s);
    ack(s, 2, 3); // 1 and 2 hold index 3: 2 of 4
    expect(s.node.status().commit).toBe(1);
    ack(s, 3, 2); // the removal commits (3 of 4) and is applied: now 2 of 3 hold index 3
    expect(s.node.status()).toMatchObject({ voters: [1, 2, 3], commit: 3 });
  });
});

describe('proposeConfChange refusals', () => {
  it('is refused before the new leader commits an entry of its own term', () => {
    const s = soloLeader([1, 2, 3]);
    expect(s.node.proposeConfChange(learner(4))).toBe(false);
    ack(s, 2, 1);
    expect(s.node.proposeConfChange(learner(4))).toBe(true);
  });

  it('is refused while another change is pending, and accepted once it is applied', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    net.addNode(4);
    net.addNode(5);
    expect(net.node(leader).proposeConfChange(learner(4))).toBe(true);
    expect(net.node(leader).proposeConfChange(learner(5))).toBe(false);
    net.tick(2);
    expect(net.node(leader).proposeConfChange(learner(5))).toBe(true);
    net.tick(2);
    expect(net.node(leader).status().learners).toEqual([4, 5]);
  });

  it('is refused on followers, during a transfer, and for no-ops and invalid changes', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const follower = leader === 1 ? 2 : 1;
    const node = net.node(leader);
    expect(net.node(follower).proposeConfChange(learner(4))).toBe(false);
    expect(node.proposeConfChange(voter(follower))).toBe(false); // already a voter
    expect(node.proposeConfChange(learner(follower))).toBe(false); // a voter is not demoted
    expect(node.proposeConfChange(remove(9))).toBe(false); // not a member
    expect(node.propose('{"type":"remove","node":9,"context":""}', 'conf')).toBe(false); // same check via propose
    expect(node.propose('garbage', 'conf')).toBe(false);

    const single = soloLeader([1]);
    expect(single.node.status().commit).toBe(1);
    expect(single.node.proposeConfChange(remove(1))).toBe(false); // the last voter

    const s = soloLeader([1, 2, 3]);
    ack(s, 2, 1);
    expect(s.node.transferLeadership(3)).toBe(true); // 3 lags: the transfer stays under way
    expect(s.node.proposeConfChange(learner(4))).toBe(false);
    expect(s.node.transferLeadership(4)).toBe(false);
  });

  it('transfers leadership only to a voter', () => {
    const { net, leader } = withLearner();
    expect(net.node(leader).transferLeadership(4)).toBe(false);
  });
});

describe('applyConfChange', () => {
  it('is idempotent, so a driver may replay its log', () => {
    const node = new RaftNode({ id: 1, peers: [1, 2, 3], storage: new MemoryStorage(), rng: seededRng(1) });
    expect(node.applyConfChange(learner(4))).toEqual({ voters: [1, 2, 3], learners: [4] });
    expect(node.applyConfChange(learner(4))).toEqual({ voters: [1, 2, 3], learners: [4] });
    expect(node.applyConfChange(voter(4))).toEqual({ voters: [1, 2, 3, 4], learners: [] });
    expect(node.applyConfChange(learner(4))).toEqual({ voters: [1, 2, 3, 4], learners: [] });
    expect(node.applyConfChange(voter(4))).toEqual({ voters: [1, 2, 3, 4], learners: [] });
    expect(node.applyConfChange(remove(2))).toEqual({ voters: [1, 3, 4], learners: [] });
    expect(node.applyConfChange(remove(2))).toEqual({ voters: [1, 3, 4], learners: [] });
  });

  it('a node restarted from a snapshot takes its configuration from it', () => {
    const storage = new MemoryStorage();
    storage.applySnapshot({ index: 5, term: 2, voters: [1, 2], learners: [3], data: '' });
    storage.setHardState({ term: 2, vote: 0, commit: 5 });
    const node = new RaftNode({ id: 3, peers: [], storage, rng: seededRng(1) });
    expect(node.status()).toMatchObject({ voters: [1, 2], learners: [3] });
  });
});

/** A random one-at-a-time change against the leader's configuration, starting new nodes to add. */
function randomChange(net: Network, rng: Rng, leader: NodeId, nextId: { value: number }): ConfChange {
  const { voters, learners } = net.node(leader).status();
  const roll = rng.next();
  if (roll < 0.35 && voters.length + learners.length < 7) {
    net.compact(leader); // a joining node learns the configuration from the leader's snapshot
    const id = nextId.value++;
    net.addNode(id);
    return learner(id);
  }
  if (roll < 0.7 && learners.length > 0) return voter(learners[randomInt(rng, learners.length)]!);
  const members = [...voters, ...learners];
  return remove(members[randomInt(rng, members.length)]!);
}

function runMembershipSeed(seed: number): { changes: number } {
  const rng = seededRng(seed * 15_485_863);
  const faults = { rng, drop: 0.05, duplicate: 0.05, reorder: true };
  const net = new Network([1, 2, 3], { seed, faults });
  const leaderOfTerm = new Map<number, NodeId>();
  const nextId = { value: 4 };
  let changes = 0;
  for (let t = 0; t < 400; t++) {
    if (t % 30 === 0) {
      net.heal();
      const ids = [...net.members.keys()];
      if (rng.next() < 0.5) net.isolate(ids[randomInt(rng, ids.length)]!);
    }
    for (const id of net.leaders()) {
      const term = net.node(id).status().term;
      expect(leaderOfTerm.get(term) ?? id, `two leaders in term ${term}`).toBe(id);
      leaderOfTerm.set(term, id);
      if (rng.next() < 0.3) net.node(id).propose(`s${seed}-t${t}`);
      const voters = net.node(id).status().voters.length;
      if (rng.next() < 0.1 && net.node(id).proposeConfChange(randomChange(net, rng, id, nextId))) changes++;
      expect(voters).toBeGreaterThan(0);
    }
    if (rng.next() < 0.03) {
      const ids = [...net.members.keys()];
      net.compact(ids[randomInt(rng, ids.length)]!);
    }
    net.tick();
    checkPrefixes(net);
  }
  net.heal();
  faults.drop = faults.duplicate = 0;
  net.tick(60);
  const [leader] = net.leaders();
  expect(leader, `seed ${seed}: a leader once healed`).toBeDefined();
  const final = net.node(leader!);
  expect(final.propose(`final-${seed}`)).toBe(true);
  net.tick(5);
  checkPrefixes(net);
  const { voters, learners } = final.status();
  for (const id of [...voters, ...learners]) {
    expect(appliedData(net.member(id)).at(-1), `seed ${seed}: member ${id} caught up`).toBe(`final-${seed}`);
    expect(net.node(id).status()).toMatchObject({ voters, learners });
  }
  return { changes };
}

describe('random membership changes under partitions and message faults', () => {
  it('keeps one leader per term and agreeing committed prefixes', () => {
    let changes = 0;
    for (let seed = 1; seed <= 25; seed++) changes += runMembershipSeed(seed).changes;
    expect(changes).toBeGreaterThan(50);
  });
});
