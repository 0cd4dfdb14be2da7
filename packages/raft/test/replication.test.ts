import { describe, expect, it } from 'vitest';
import { MemoryStorage, message, RaftNode, type Entry, type NodeId } from '../src/index.js';
import { seededRng } from '@shoal/common';
import { appliedData, Network } from './network.js';

describe('log replication', () => {
  it('a proposal commits on all three nodes and the committed entries agree', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    expect(net.node(leader).propose('a')).toBe(true);
    expect(net.node(leader).propose(new Uint8Array([1, 2, 3]))).toBe(true);
    net.tick(3);
    const reference = net.member(leader).applied;
    expect(appliedData(net.member(leader))).toEqual(['a', new Uint8Array([1, 2, 3])]);
    for (const m of net.members.values()) {
      expect(m.applied).toEqual(reference);
      expect(m.node.status().commit).toBe(reference.at(-1)?.index);
      expect(m.storage.entries(1, m.storage.lastIndex() + 1)).toEqual(reference);
    }
  });

  it('a follower forwards proposals to the leader, and they commit everywhere', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const follower = leader === 1 ? 2 : 1;
    const before = net.node(leader).status().lastIndex;
    expect(net.node(follower).propose('via-follower')).toBe(true);
    expect(net.node(follower).status().lastIndex).toBe(before); // not appended locally
    net.settle();
    expect(net.trace).toContain(`MsgProp ${follower}->${leader} t0 i0 lt0 c0 n1`);
    expect(net.node(leader).status().lastIndex).toBe(before + 1);
    net.tick(2);
    for (const m of net.members.values()) expect(appliedData(m)).toEqual(['via-follower']);
  });

  it('a node that knows no leader drops proposals', () => {
    const net = new Network([1, 2, 3]);
    expect(net.node(1).propose('x')).toBe(false);
    net.node(1).campaign();
    expect(net.node(1).status().state).toBe('pre-candidate');
    expect(net.node(1).propose('x')).toBe(false);
  });

  it('a follower with a conflicting uncommitted tail is truncated to the new leader log', () => {
    const net = new Network([1, 2, 3]);
    const old = net.electLeader();
    net.node(old).propose('committed');
    net.tick(2);
    net.isolate(old);
    net.node(old).propose('lost-1');
    net.node(old).propose('lost-2');
    net.node(old).propose('lost-3');
    net.tick(1);
    expect(net.node(old).status().lastIndex).toBe(5);
    net.tick(30);
    const [leader] = net.leaders();
    expect(leader).toBeDefined();
    expect(leader).not.toBe(old);
    net.node(leader!).propose('kept');
    net.tick(1);

    net.heal();
    net.tick(5);
    const expected = ['committed', 'kept'];
    for (const m of net.members.values()) expect(appliedData(m)).toEqual(expected);
    const leaderLog = net.node(leader!).entries(1, net.node(leader!).status().lastIndex + 1);
    const oldMember = net.member(old);
    expect(oldMember.storage.entries(1, oldMember.storage.lastIndex() + 1)).toEqual(leaderLog);
    expect(leaderLog.some((e: Entry) => typeof e.data === 'string' && e.data.startsWith('lost'))).toBe(false);
  });

  it('a slow follower catches up after missing many entries', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const slow = leader === 3 ? 2 : 3;
    net.isolate(slow);
    for (let i = 0; i < 50; i++) net.node(leader).propose(`e${i}`);
    net.tick(3);
    expect(appliedData(net.member(slow))).toEqual([]);
    net.heal();
    net.tick(3);
    expect(appliedData(net.member(slow))).toHaveLength(50);
    expect(net.member(slow).applied).toEqual(net.member(leader).applied);
  });
});

describe('commitment (Raft paper §5.4.2, figure 8)', () => {
  /** Node 1 holds an entry of term 2 that nobody else has; everyone is at term 2, commit 1. */
  function figure8Start(): { node: RaftNode; storage: MemoryStorage } {
    const storage = new MemoryStorage();
    storage.append([
      { term: 1, index: 1, type: 'normal', data: 'one' },
      { term: 2, index: 2, type: 'normal', data: 'old-term' },
    ]);
    storage.setHardState({ term: 2, vote: 0, commit: 1 });
    return { node: new RaftNode({ id: 1, peers: [1, 2, 3], storage, rng: seededRng(7) }), storage };
  }

  function drain(node: RaftNode, storage: MemoryStorage): void {
    while (node.hasReady()) {
      const rd = node.ready();
      storage.append(rd.entries);
      if (rd.hardState) storage.setHardState(rd.hardState);
      node.advance(rd);
    }
  }

  function grant(node: RaftNode, type: 'MsgPreVoteResp' | 'MsgVoteResp', from: NodeId, term: number): void {
    node.step(message({ type, from, to: 1, term }));
  }

  it('the leader does not commit an entry of an older term by counting replicas', () => {
    const { node, storage } = figure8Start();
    node.campaign();
    grant(node, 'MsgPreVoteResp', 2, 3);
    expect(node.status().state).toBe('candidate');
    grant(node, 'MsgVoteResp', 2, 3);
    expect(node.status()).toMatchObject({ state: 'leader', term: 3, lastIndex: 3 });
    drain(node, storage);

    // Follower 2 now stores the term-2 entry: a quorum holds index 2, but it is not of term 3.
    node.step(message({ type: 'MsgAppResp', from: 2, to: 1, term: 3, index: 2 }));
    expect(node.status().commit).toBe(1);

    // Once the leader's own entry (index 3, term 3) is on a quorum, both commit.
    node.step(message({ type: 'MsgAppResp', from: 2, to: 1, term: 3, index: 3 }));
    expect(node.status().commit).toBe(3);
    const rd = node.ready();
    expect(rd.committedEntries.map((e) => e.index)).toEqual([2, 3]);
  });
});

describe('the leader and its own disk', () => {
  it('counts an entry towards a quorum only once it has persisted it, so it may send it first', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const l = net.member(leader);
    const f = net.member(leader === 1 ? 2 : 1);
    expect(l.node.propose('early')).toBe(true);
    // The leader hands out its Ready and sends it before its disk write has finished.
    const rd = l.node.ready();
    const app = rd.messages.find((m) => m.to === f.node.status().id && m.type === 'MsgApp')!;
    f.node.step(app);
    const frd = f.node.ready();
    f.storage.append(frd.entries);
    if (frd.hardState) f.storage.setHardState(frd.hardState);
    f.node.advance(frd);
    for (const m of frd.messages) l.node.step(m);
    // One follower has it; the leader's own copy is not on its disk yet: not a quorum.
    const index = rd.entries.at(-1)!.index;
    expect(l.node.status().commit).toBeLessThan(index);
    // Once its write is done, the leader counts itself, commits, and tells the followers.
    if (rd.hardState) l.storage.setHardState(rd.hardState);
    l.storage.append(rd.entries);
    l.node.advance(rd);
    expect(l.node.status().commit).toBe(index);
    expect(l.node.ready().messages.some((m) => m.type === 'MsgApp' && m.commit === index)).toBe(true);
  });
});
