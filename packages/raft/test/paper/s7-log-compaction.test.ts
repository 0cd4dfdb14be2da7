import { describe, expect, it } from 'vitest';
import { MemoryStorage, type Snapshot } from '../../src/index.js';
import { Cluster, drain, entry, msg, newNode, ofType } from './harness.js';

/** The test state machine's snapshot: the data of the applied entries, joined. */
function snapshotData(c: Cluster, id: number, index: number): string {
  return c.get(id).applied.filter((e) => e.index <= index).map((e) => String(e.data)).join(',');
}

/** Raft paper §7: log compaction with snapshots (InstallSnapshot). */
describe('§7 log compaction', () => {
  it('a follower that needs entries the leader has compacted away is sent the snapshot, then the rest of the log', () => {
    const c = new Cluster([1, 2, 3]);
    c.elect(1);
    c.down.add(3);
    for (let i = 0; i < 10; i++) c.node(1).propose(`e${i}`);
    c.flush();
    expect(c.node(1).status().commit).toBe(11);
    const st = c.get(1).storage;
    st.createSnapshot(8, { voters: [1, 2, 3], learners: [] }, snapshotData(c, 1, 8));
    st.compact(8);
    c.down.clear();
    c.node(1).tick();
    const sent: string[] = [];
    c.flush((m) => {
      sent.push(m.type);
      return true;
    });
    expect(sent).toContain('MsgSnap');
    const s3 = c.node(3).status();
    expect(s3).toMatchObject({ commit: 11, firstIndex: 9, lastIndex: 11 });
    expect(c.get(3).storage.snapshot()).toMatchObject({ index: 8, term: 1, voters: [1, 2, 3] });
    expect(c.log(3).map((e) => e.data)).toEqual(['e7', 'e8', 'e9']);
  });

  it('a follower restores a snapshot newer than its log: the log is replaced, commit and applied jump to its index, and the driver gets it to restore', () => {
    const f = newNode(2, { log: [{ term: 1 }, { term: 1, data: 'a' }], hardState: { term: 1, vote: 0, commit: 2 } });
    const snapshot: Snapshot = { index: 10, term: 3, voters: [1, 2, 3], learners: [], data: 'state at 10' };
    f.node.step(msg({ type: 'MsgSnap', from: 1, to: 2, term: 3, index: 10, logTerm: 3, snapshot }));
    const rd = f.node.ready();
    expect(rd.snapshot).toEqual(snapshot);
    expect(rd.messages.find((m) => m.type === 'MsgAppResp')).toMatchObject({ index: 10, reject: false });
    f.storage.applySnapshot(rd.snapshot!);
    if (rd.hardState) f.storage.setHardState(rd.hardState);
    f.node.advance(rd);
    expect(f.node.status()).toMatchObject({ commit: 10, applied: 10, firstIndex: 11, lastIndex: 10 });
  });

  it('a snapshot older than the follower\u2019s commit index is ignored (answered with the commit index)', () => {
    const f = newNode(2, { log: [{ term: 1 }, { term: 1 }, { term: 1 }, { term: 1 }, { term: 1 }], hardState: { term: 1, vote: 0, commit: 5 } });
    const stale: Snapshot = { index: 3, term: 1, voters: [1, 2, 3], learners: [], data: 'old' };
    f.node.step(msg({ type: 'MsgSnap', from: 1, to: 2, term: 1, index: 3, logTerm: 1, snapshot: stale }));
    const rd = f.node.ready();
    expect(rd.snapshot).toBeUndefined();
    expect(rd.messages.find((m) => m.type === 'MsgAppResp')).toMatchObject({ index: 5, reject: false });
    f.node.advance(rd);
    expect(f.node.status()).toMatchObject({ commit: 5, firstIndex: 1, lastIndex: 5 });
  });

  it('a snapshot whose last entry the follower already holds keeps the entries after it (only the commit index moves)', () => {
    const f = newNode(2, { log: [{ term: 1 }, { term: 1 }, { term: 1 }, { term: 1, data: 'd' }, { term: 1, data: 'e' }], hardState: { term: 1, vote: 0, commit: 1 } });
    const snap: Snapshot = { index: 3, term: 1, voters: [1, 2, 3], learners: [], data: 'state at 3' };
    f.node.step(msg({ type: 'MsgSnap', from: 1, to: 2, term: 1, index: 3, logTerm: 1, snapshot: snap }));
    const out = drain(f);
    expect(ofType(out, 'MsgAppResp')[0]).toMatchObject({ index: 3, reject: false });
    expect(f.storage.snapshot().index).toBe(0);
    expect(f.node.status()).toMatchObject({ commit: 3, lastIndex: 5 });
  });

  it('a snapshot carries the configuration at its index, which a restored follower adopts', () => {
    const f = newNode(5, { peers: [] });
    const snap: Snapshot = { index: 4, term: 2, voters: [1, 2, 3], learners: [5], data: '' };
    f.node.step(msg({ type: 'MsgSnap', from: 1, to: 5, term: 2, index: 4, logTerm: 2, snapshot: snap }));
    drain(f);
    expect(f.node.status()).toMatchObject({ voters: [1, 2, 3], learners: [5] });
  });

  it('a server restarted on a snapshot takes its index as committed and applied, and keeps the entries after it', () => {
    const storage = new MemoryStorage();
    storage.append([entry(1, 1), entry(1, 2, 'a'), entry(1, 3, 'b'), entry(1, 4, 'c')]);
    storage.setHardState({ term: 1, vote: 1, commit: 4 });
    storage.createSnapshot(3, { voters: [1, 2, 3], learners: [] }, 'a,b');
    storage.compact(3);
    const n = newNode(1, { storage });
    expect(n.node.status()).toMatchObject({ commit: 4, applied: 3, firstIndex: 4, lastIndex: 4 });
    drain(n);
    expect(n.applied.map((e) => e.data)).toEqual(['c']);
  });

  it('compaction never drops what the snapshot does not cover, and a snapshot is only of committed entries', () => {
    const storage = new MemoryStorage();
    storage.append([entry(1, 1), entry(1, 2), entry(1, 3)]);
    storage.setHardState({ term: 1, vote: 1, commit: 2 });
    expect(() => storage.createSnapshot(3, { voters: [1], learners: [] }, '')).toThrow();
    storage.createSnapshot(2, { voters: [1], learners: [] }, '');
    expect(() => storage.compact(3)).toThrow();
    storage.compact(2);
    expect(storage.firstIndex()).toBe(3);
    expect(storage.term(2)).toBe(1);
  });
});
