import { seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { Cluster, drain, entry, msg, newNode, ofType } from './harness.js';

/** Raft paper §5.4: safety. */
describe('§5.4 safety', () => {
  describe('§5.4.1 election restriction: a voter refuses a candidate whose log is less up-to-date than its own', () => {
    // The voter's log: terms [1, 2, 2] (last entry 2 at index 3).
    const cases: { name: string; lastTerm: number; lastIndex: number; grant: boolean }[] = [
      { name: 'older last term, even with a longer log', lastTerm: 1, lastIndex: 10, grant: false },
      { name: 'same last term, shorter log', lastTerm: 2, lastIndex: 2, grant: false },
      { name: 'same last term, same length', lastTerm: 2, lastIndex: 3, grant: true },
      { name: 'same last term, longer log', lastTerm: 2, lastIndex: 4, grant: true },
      { name: 'newer last term, even with a shorter log', lastTerm: 3, lastIndex: 1, grant: true },
    ];
    for (const c of cases) {
      it(`${c.grant ? 'grants' : 'refuses'}: ${c.name}`, () => {
        const voter = newNode(1, { log: [{ term: 1 }, { term: 2 }, { term: 2 }], hardState: { term: 2, vote: 0, commit: 1 } });
        voter.node.step(msg({ type: 'MsgVote', from: 2, to: 1, term: 3, index: c.lastIndex, logTerm: c.lastTerm }));
        const [resp] = ofType(drain(voter), 'MsgVoteResp');
        expect(resp?.reject).toBe(!c.grant);
        expect(voter.node.status().vote).toBe(c.grant ? 2 : 0);
      });
    }
  });

  it('§5.4.2 a leader never commits an entry of an earlier term by counting replicas (figure 8)', () => {
    // Node 1 holds entry 2 of term 2, node 3 does not; node 1 wins term 3.
    const leader = newNode(1, { log: [{ term: 1 }, { term: 2, data: 'old' }], hardState: { term: 2, vote: 1, commit: 1 } });
    leader.node.campaign();
    drain(leader);
    leader.node.step(msg({ type: 'MsgVoteResp', from: 2, to: 1, term: 3 }));
    expect(leader.node.status()).toMatchObject({ state: 'leader', term: 3, lastIndex: 3 });
    drain(leader);
    // Both followers now hold entry 2 (of term 2), but not yet the leader's entry 3: a majority
    // stores entry 2, yet it is not committed, since a node with a term-3 entry at index 2 could
    // still be elected and overwrite it.
    leader.node.step(msg({ type: 'MsgAppResp', from: 2, to: 1, term: 3, index: 2 }));
    leader.node.step(msg({ type: 'MsgAppResp', from: 3, to: 1, term: 3, index: 2 }));
    drain(leader);
    expect(leader.node.status().commit).toBe(1);
    // Once an entry of its own term is on a majority, it commits, and everything before it too.
    leader.node.step(msg({ type: 'MsgAppResp', from: 2, to: 1, term: 3, index: 3 }));
    drain(leader);
    expect(leader.node.status().commit).toBe(3);
    expect(leader.applied.map((e) => e.data)).toContain('old');
  });

  it('§5.4.2 the whole figure 8 run: an entry replicated to a majority in a later term may still be overwritten, so it was right not to commit it', () => {
    const ids = [1, 2, 3, 4, 5];
    const c = new Cluster(ids);
    const votesOnly = (m: { type: string }): boolean => m.type === 'MsgVote' || m.type === 'MsgVoteResp';
    c.elect(1); // term 1, entry 1 committed everywhere
    c.node(1).tick();
    c.flush();
    // (a) S1 replicates entry 2 ("a", term 1) to S2 only.
    c.down.add(3).add(4).add(5);
    c.node(1).propose('a');
    c.flush();
    // (b) S1 and S2 are cut off; S5 is elected in term 2 by S3, S4 (and itself) and appends "b" locally.
    c.down.clear();
    c.down.add(1).add(2);
    c.node(5).campaign();
    c.flush(votesOnly);
    expect(c.node(5).status()).toMatchObject({ state: 'leader', term: 2 });
    c.node(5).propose('b');
    drain(c.get(5));
    // (c) S5 crashes; S1 restarts (a follower again) and is elected in term 3 by S2, S3, S4.
    c.down.clear();
    c.down.add(5);
    c.nodes.set(1, newNode(1, { peers: ids, storage: c.get(1).storage }));
    c.node(1).campaign();
    c.flush(votesOnly);
    if (c.node(1).status().state !== 'leader') {
      c.node(1).campaign(); // its first try ran into term 2, where S3 and S4 had voted
      c.flush(votesOnly);
    }
    expect(c.node(1).status()).toMatchObject({ state: 'leader', term: 3 });
    drain(c.get(1)); // its first appends are lost
    // S1 gets "a" (index 2, term 1) onto S3 as well, before its own term-3 entry: a majority
    // (S1, S2, S3) now stores "a", and S1 knows it.
    const appendA = (to: number) => msg({ type: 'MsgApp', from: 1, to, term: 3, index: 1, logTerm: 1, entries: [entry(1, 2, 'a')], commit: 1 });
    for (const f of [2, 3]) {
      c.node(f).step(appendA(f));
      for (const m of drain(c.get(f))) c.node(1).step(m);
    }
    expect(c.log(3).map((e) => e.data)).toEqual(['', 'a']);
    expect(c.node(1).status().commit).toBe(1);
    // (d) Rightly so: were S1 to crash now, S5 (last entry of term 2) could still win S3 and S4
    // (last entry of term 1) in term 4, and would overwrite index 2 with its "b".
    for (const f of [3, 4]) {
      const s = c.node(f).status();
      const copy = newNode(f, { peers: ids, log: c.log(f).map((e) => ({ term: e.term, data: e.data })), hardState: { term: s.term, vote: s.vote, commit: s.commit } });
      copy.node.step(msg({ type: 'MsgVote', from: 5, to: f, term: 4, index: 3, logTerm: 2 }));
      expect(ofType(drain(copy), 'MsgVoteResp')[0]?.reject, `S${f} votes for S5`).toBe(false);
    }
    // (e) Instead S1 commits "a" together with an entry of its own term, once that is on a
    // majority; then S5 can no longer be elected.
    c.flush();
    expect(c.node(1).status().commit).toBe(3);
    c.node(1).tick();
    c.flush();
    const vote = c.get(4);
    vote.node.step(msg({ type: 'MsgVote', from: 5, to: 4, term: 4, index: 3, logTerm: 2 }));
    expect(ofType(drain(vote), 'MsgVoteResp')[0]?.reject, 'S4 now refuses S5').toBe(true);
    expect(c.log(1).map((e) => [e.term, e.data])).toEqual([
      [1, ''],
      [1, 'a'],
      [3, ''],
    ]);
  });

  it('§5.4.3 leader completeness: a node missing a committed entry cannot be elected; one that has it is', () => {
    const c = new Cluster([1, 2, 3]);
    c.elect(1);
    c.down.add(3);
    c.node(1).propose('x');
    c.flush();
    expect(c.node(1).status().commit).toBe(2); // on 1 and 2
    // 1 fails; 3 (without x) campaigns: 2 refuses, so it cannot win.
    c.down.clear();
    c.down.add(1);
    c.node(3).campaign();
    c.flush();
    expect(c.node(3).status().state).not.toBe('leader');
    c.node(2).campaign();
    c.flush();
    expect(c.node(2).status().state).toBe('leader');
    expect(c.log(2).map((e) => e.data)).toContain('x');
    expect(c.log(3).map((e) => e.data)).toContain('x');
  });

  it('§5.4.3 leader completeness and state machine safety under random schedules: every leader holds every entry committed in earlier terms, and no two nodes apply different entries at one index', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const rng = seededRng(100 + seed);
      const ids = [1, 2, 3, 4, 5];
      const c = new Cluster(ids, { seed, election: 5 });
      /** Committed entries: index -> term, and the highest term any node had when it was first seen committed. */
      const committed = new Map<number, { term: number; data: unknown; seenAtTerm: number }>();
      for (let step = 0; step < 250; step++) {
        const id = ids[Math.floor(rng.next() * ids.length)]!;
        const r = rng.next();
        if (r < 0.4) c.node(id).tick();
        else if (r < 0.6) c.node(id).propose(`p${step}`);
        else if (r < 0.7) {
          c.down.clear();
          if (rng.next() < 0.6) c.down.add(ids[Math.floor(rng.next() * ids.length)]!).add(ids[Math.floor(rng.next() * ids.length)]!);
        }
        c.flush(() => rng.next() < 0.85);
        const maxTerm = Math.max(...ids.map((i) => c.node(i).status().term));
        for (const i of ids) {
          for (const e of c.get(i).applied) {
            const known = committed.get(e.index);
            if (known === undefined) committed.set(e.index, { term: e.term, data: e.data, seenAtTerm: maxTerm });
            else expect({ term: e.term, data: e.data }, `seed ${seed}: node ${i} applied another entry at ${e.index}`).toEqual({ term: known.term, data: known.data });
          }
        }
        for (const i of ids) {
          const s = c.node(i).status();
          if (s.state !== 'leader') continue;
          const log = new Map(c.log(i).map((e) => [e.index, e.term]));
          for (const [index, e] of committed) {
            if (e.seenAtTerm < s.term) expect(log.get(index), `seed ${seed} step ${step}: leader ${i} of term ${s.term} lacks committed ${index}`).toBe(e.term);
          }
        }
      }
      expect(committed.size, `seed ${seed}`).toBeGreaterThan(2);
    }
  });
});
