import { seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { Cluster, deliver, drain, entry, msg, newNode, ofType } from './harness.js';

/** Node 1 leads term 1 of a 3-node cluster whose logs hold its empty entry, committed everywhere. */
function steadyCluster(ids = [1, 2, 3]): Cluster {
  const c = new Cluster(ids);
  c.elect(1);
  c.node(1).tick(); // a heartbeat spreads the commit index
  c.flush();
  return c;
}

/** Raft paper §5.3: log replication. */
describe('§5.3 log replication', () => {
  it('the leader appends a command to its log as a new entry of its term and sends it to every follower with the preceding index and term', () => {
    const c = steadyCluster();
    expect(c.node(1).propose('x')).toBe(true);
    const out = drain(c.get(1));
    expect(c.log(1).at(-1)).toEqual({ term: 1, index: 2, data: 'x' });
    const apps = ofType(out, 'MsgApp');
    expect(apps.map((m) => m.to).sort()).toEqual([2, 3]);
    for (const m of apps) {
      expect(m).toMatchObject({ term: 1, index: 1, logTerm: 1, commit: 1 });
      expect(m.entries.map((e) => [e.term, e.index, e.data])).toEqual([[1, 2, 'x']]);
    }
  });

  it('an entry is committed once the leader has stored it on a majority, and only then applied', () => {
    const c = steadyCluster([1, 2, 3, 4, 5]);
    c.node(1).propose('x');
    const out = drain(c.get(1));
    expect(c.node(1).status().commit).toBe(1);
    // One follower (2 of 5 with the leader): not yet.
    deliver(c.get(2), out);
    deliver(c.get(1), drain(c.get(2)));
    expect(c.node(1).status().commit).toBe(1);
    drain(c.get(1));
    expect(c.get(1).applied.map((e) => e.data)).not.toContain('x');
    // A second follower makes 3 of 5.
    deliver(c.get(3), out);
    deliver(c.get(1), drain(c.get(3)));
    expect(c.node(1).status().commit).toBe(2);
    drain(c.get(1));
    expect(c.get(1).applied.map((e) => e.data)).toContain('x');
  });

  it('followers learn the commit index from later messages and apply the entry too', () => {
    const c = steadyCluster();
    c.node(1).propose('x');
    c.flush();
    c.node(1).tick();
    c.flush();
    for (const id of [1, 2, 3]) {
      expect(c.node(id).status().commit).toBe(2);
      expect(c.get(id).applied.map((e) => e.data)).toContain('x');
    }
  });

  it('a follower refuses an append whose preceding entry it does not hold (missing index)', () => {
    const f = newNode(2, { log: [{ term: 1 }], hardState: { term: 1, vote: 1, commit: 1 } });
    f.node.step(msg({ type: 'MsgApp', from: 1, to: 2, term: 1, index: 3, logTerm: 1, entries: [entry(1, 4, 'x')], commit: 3 }));
    const [resp] = ofType(drain(f), 'MsgAppResp');
    expect(resp).toMatchObject({ reject: true, index: 3, rejectHint: 1 });
    expect(f.node.status().lastIndex).toBe(1);
  });

  it('a follower refuses an append whose preceding entry has another term', () => {
    const f = newNode(2, { log: [{ term: 1 }, { term: 2 }], hardState: { term: 3, vote: 0, commit: 1 } });
    f.node.step(msg({ type: 'MsgApp', from: 1, to: 2, term: 3, index: 2, logTerm: 3, entries: [entry(3, 3, 'x')], commit: 1 }));
    const [resp] = ofType(drain(f), 'MsgAppResp');
    expect(resp?.reject).toBe(true);
    expect(f.node.status().lastIndex).toBe(2);
  });

  it('after a refusal the leader backs up and retries until the logs match, then the follower catches up', () => {
    // Figure 7 in small: the leader of term 3 holds 1..5; one follower lacks most of it.
    const leaderLog = [{ term: 1 }, { term: 1 }, { term: 2 }, { term: 2 }, { term: 2 }];
    const c = new Cluster([1, 2, 3]);
    c.nodes.set(1, newNode(1, { log: leaderLog, hardState: { term: 2, vote: 1, commit: 5 } }));
    c.nodes.set(2, newNode(2, { log: leaderLog, hardState: { term: 2, vote: 1, commit: 5 } }));
    c.nodes.set(3, newNode(3, { log: [{ term: 1 }], hardState: { term: 2, vote: 1, commit: 1 } }));
    c.elect(1);
    expect(c.node(1).status()).toMatchObject({ state: 'leader', term: 3 });
    expect(c.log(3)).toEqual(c.log(1));
  });

  it('a follower deletes a conflicting entry and all that follow it, then appends the leader\u2019s', () => {
    const f = newNode(2, { log: [{ term: 1 }, { term: 1 }, { term: 2, data: 'x' }, { term: 2, data: 'y' }], hardState: { term: 2, vote: 0, commit: 2 } });
    f.node.step(msg({ type: 'MsgApp', from: 1, to: 2, term: 3, index: 2, logTerm: 1, entries: [entry(3, 3, 'z')], commit: 2 }));
    const [resp] = ofType(drain(f), 'MsgAppResp');
    expect(resp).toMatchObject({ reject: false, index: 3 });
    const s = f.node.status();
    expect(f.node.entries(1, s.lastIndex + 1).map((e) => [e.term, e.index, e.data])).toEqual([
      [1, 1, ''],
      [1, 2, ''],
      [3, 3, 'z'],
    ]);
    expect(f.storage.lastIndex()).toBe(3);
  });

  it('an append that holds only entries the follower already has (a late duplicate) truncates nothing', () => {
    const f = newNode(2, { log: [{ term: 1 }, { term: 1, data: 'a' }, { term: 1, data: 'b' }], hardState: { term: 1, vote: 0, commit: 1 } });
    f.node.step(msg({ type: 'MsgApp', from: 1, to: 2, term: 1, index: 1, logTerm: 1, entries: [entry(1, 2, 'a')], commit: 1 }));
    drain(f);
    expect(f.node.status().lastIndex).toBe(3);
  });

  it('log matching: two logs with an entry of the same index and term are identical up to it (random schedules)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const rng = seededRng(seed);
      const ids = [1, 2, 3, 4, 5];
      const c = new Cluster(ids, { seed, election: 5 });
      for (let step = 0; step < 300; step++) {
        const id = ids[Math.floor(rng.next() * ids.length)]!;
        const r = rng.next();
        if (r < 0.4) c.node(id).tick();
        else if (r < 0.6) c.node(id).propose(`s${seed}-${step}`);
        else if (r < 0.7) {
          c.down.clear();
          if (rng.next() < 0.5) c.down.add(ids[Math.floor(rng.next() * ids.length)]!);
        }
        // Deliver each message with probability 0.8 (the rest are lost).
        c.flush(() => rng.next() < 0.8);
        if (step % 5 === 4) checkLogMatching(c, ids, `seed ${seed} step ${step}`);
      }
      // The schedule did make progress, so the property was tested on real logs.
      expect(Math.max(...ids.map((id) => c.node(id).status().commit)), `seed ${seed}`).toBeGreaterThan(2);
    }
  });
});

function checkLogMatching(c: Cluster, ids: number[], where: string): void {
  const logs = ids.map((id) => c.log(id));
  for (let a = 0; a < logs.length; a++) {
    for (let b = a + 1; b < logs.length; b++) {
      const la = logs[a]!;
      const lb = logs[b]!;
      const byIndex = new Map(lb.map((e) => [e.index, e]));
      // The highest index at which both hold an entry of the same term...
      let top = 0;
      for (const e of la) if (byIndex.get(e.index)?.term === e.term) top = Math.max(top, e.index);
      // ...and every entry below it that both still hold agrees.
      for (const e of la) {
        if (e.index > top) continue;
        const other = byIndex.get(e.index);
        if (other === undefined) continue;
        expect(other, `${where}: nodes ${ids[a]} and ${ids[b]} at ${e.index}`).toEqual(e);
      }
    }
  }
}
