import { seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { MemoryStorage, message, RaftNode } from '../src/index.js';
import { appliedData, encodeApplied, Network } from './network.js';

describe('snapshots and log compaction', () => {
  it('a follower cut off while the leader commits 50 entries and compacts to 40 catches up through a snapshot', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const lagging = leader === 1 ? 2 : 1;
    net.node(leader).propose('before');
    net.tick(2);
    net.isolate(lagging);
    for (let i = 0; i < 50; i++) net.node(leader).propose(`e${i}`);
    net.tick(2);
    const status = net.node(leader).status();
    expect(status.commit).toBe(status.lastIndex);
    expect(status.lastIndex).toBeGreaterThanOrEqual(52);
    net.compact(leader, 40);
    expect(net.member(leader).storage.firstIndex()).toBe(41);
    expect(net.node(leader).status().firstIndex).toBe(41);
    expect(net.node(lagging).status().lastIndex).toBeLessThan(40);

    net.heal();
    net.tick(3);
    const follower = net.member(lagging);
    expect(follower.snapshotsRestored).toBe(1);
    expect(net.trace.some((t) => t.startsWith(`MsgSnap ${leader}->${lagging}`))).toBe(true);
    expect(follower.storage.snapshot().index).toBe(40);
    expect(follower.storage.firstIndex()).toBe(41);
    expect(follower.node.status().lastIndex).toBe(status.lastIndex);

    net.node(leader).propose('after');
    net.tick(2);
    const expected = ['before', ...Array.from({ length: 50 }, (_, i) => `e${i}`), 'after'];
    const reference = net.member(leader).applied;
    for (const m of net.members.values()) {
      expect(appliedData(m)).toEqual(expected);
      expect(m.applied).toEqual(reference);
      expect(m.node.status().applied).toBe(reference.at(-1)?.index);
    }
    // Replication resumed after the snapshot: one snapshot only, then appends from index 41.
    expect(net.trace.filter((t) => t.startsWith(`MsgSnap ${leader}->${lagging}`))).toHaveLength(1);
  });

  it('resends the snapshot when it was lost', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const lagging = leader === 1 ? 2 : 1;
    net.isolate(lagging);
    for (let i = 0; i < 20; i++) net.node(leader).propose(`e${i}`);
    net.tick(2);
    net.compact(leader);
    net.heal();
    net.filter = (m) => m.type !== 'MsgSnap';
    net.tick(3); // every snapshot sent is lost
    expect(net.trace.filter((t) => t.startsWith(`MsgSnap ${leader}->${lagging}`)).length).toBeGreaterThan(0);
    expect(net.member(lagging).snapshotsRestored).toBe(0);
    net.filter = undefined;
    net.tick(3);
    expect(appliedData(net.member(lagging))).toEqual(appliedData(net.member(leader)));
    expect(net.member(lagging).snapshotsRestored).toBe(1);
  });

  it('a snapshot older than the follower commit is ignored', () => {
    const storage = new MemoryStorage();
    const node = new RaftNode({ id: 2, peers: [1, 2, 3], storage, rng: seededRng(1) });
    const ents = Array.from({ length: 10 }, (_, i) => ({ term: 1, index: i + 1, type: 'normal' as const, data: `x${i}` }));
    node.step(message({ type: 'MsgApp', from: 1, to: 2, term: 1, index: 0, logTerm: 0, entries: ents, commit: 10 }));
    let rd = node.ready();
    storage.setHardState(rd.hardState!);
    storage.append(rd.entries);
    node.advance(rd);
    expect(node.status().commit).toBe(10);

    const snapshot = { index: 5, term: 1, voters: [1, 2, 3], learners: [], data: encodeApplied(ents.slice(0, 5)) };
    node.step(message({ type: 'MsgSnap', from: 1, to: 2, term: 1, index: 5, logTerm: 1, snapshot }));
    rd = node.ready();
    expect(rd.snapshot).toBeUndefined();
    expect(rd.messages).toEqual([message({ type: 'MsgAppResp', from: 2, to: 1, term: 1, index: 10 })]);
    expect(node.status()).toMatchObject({ commit: 10, lastIndex: 10, firstIndex: 1 });
    expect(node.entries(1, 11)).toEqual(ents);
  });

  it('a snapshot newer than the commit is restored, reported in Ready.snapshot and acknowledged', () => {
    const storage = new MemoryStorage();
    const node = new RaftNode({ id: 2, peers: [1, 2, 3], storage, rng: seededRng(1) });
    const snapshot = { index: 30, term: 2, voters: [1, 2, 3], learners: [], data: 'state' };
    node.step(message({ type: 'MsgSnap', from: 1, to: 2, term: 2, index: 30, logTerm: 2, snapshot }));
    const rd = node.ready();
    expect(rd.snapshot).toEqual(snapshot);
    expect(rd.committedEntries).toEqual([]);
    expect(rd.hardState).toEqual({ term: 2, vote: 0, commit: 30 });
    expect(rd.messages).toEqual([message({ type: 'MsgAppResp', from: 2, to: 1, term: 2, index: 30 })]);
    storage.applySnapshot(rd.snapshot!);
    storage.setHardState(rd.hardState!);
    node.advance(rd);
    expect(node.hasReady()).toBe(false);
    expect(node.status()).toMatchObject({ commit: 30, applied: 30, lastIndex: 30, firstIndex: 31 });
    // Appends resume after the snapshot.
    const next = { term: 2, index: 31, type: 'normal' as const, data: 'y' };
    node.step(message({ type: 'MsgApp', from: 1, to: 2, term: 2, index: 30, logTerm: 2, entries: [next], commit: 31 }));
    const rd2 = node.ready();
    expect(rd2.committedEntries).toEqual([next]);
    expect(rd2.messages.at(-1)).toMatchObject({ type: 'MsgAppResp', index: 31, reject: false });
  });

  it('a restarted node starts from its stored snapshot', () => {
    const storage = new MemoryStorage();
    storage.applySnapshot({ index: 7, term: 3, voters: [1, 2, 3], learners: [], data: 's' });
    storage.setHardState({ term: 3, vote: 0, commit: 7 });
    const node = new RaftNode({ id: 1, peers: [1, 2, 3], storage, rng: seededRng(1) });
    expect(node.status()).toMatchObject({ commit: 7, applied: 7, lastIndex: 7, firstIndex: 8 });
    expect(node.hasReady()).toBe(false);
  });
});

describe('MemoryStorage compaction', () => {
  const ents = Array.from({ length: 6 }, (_, i) => ({ term: i < 3 ? 1 : 2, index: i + 1, type: 'normal' as const, data: `d${i}` }));

  it('compacts up to the snapshot and keeps the term of the compaction point', () => {
    const s = new MemoryStorage();
    s.append(ents);
    s.setHardState({ term: 2, vote: 1, commit: 6 });
    expect(() => s.compact(4)).toThrow(/past the snapshot/);
    expect(s.createSnapshot(4, { voters: [1, 2, 3], learners: [] }, 'st')).toEqual({ index: 4, term: 2, voters: [1, 2, 3], learners: [], data: 'st' });
    s.compact(4);
    expect(s.firstIndex()).toBe(5);
    expect(s.lastIndex()).toBe(6);
    expect(s.term(4)).toBe(2);
    expect(s.term(3)).toBeUndefined();
    expect(s.entries(5, 7)).toEqual(ents.slice(4));
    expect(() => s.entries(4, 7)).toThrow(/out of bounds/);
    s.append([{ term: 3, index: 6, type: 'normal', data: 'z' }]);
    expect(s.lastIndex()).toBe(6);
    expect(s.term(6)).toBe(3);
  });

  it('refuses snapshots past the commit index or not newer than the current one', () => {
    const s = new MemoryStorage();
    s.append(ents);
    s.setHardState({ term: 2, vote: 1, commit: 3 });
    expect(() => s.createSnapshot(4, { voters: [1], learners: [] }, '')).toThrow(/past commit/);
    s.createSnapshot(3, { voters: [1], learners: [] }, '');
    expect(() => s.createSnapshot(2, { voters: [1], learners: [] }, '')).toThrow(/not newer/);
    expect(() => s.applySnapshot({ index: 3, term: 1, voters: [1], learners: [], data: '' })).toThrow(/not newer/);
    s.applySnapshot({ index: 10, term: 4, voters: [1], learners: [], data: 'x' });
    expect([s.firstIndex(), s.lastIndex(), s.term(10)]).toEqual([11, 10, 4]);
  });
});
