import { describe, expect, it } from 'vitest';
import { MemoryStorage, message, type NodeId } from '../src/index.js';
import { Inflights } from '../src/inflights.js';
import { Network } from './network.js';
import { ack, drain, sentTo, soloLeader, type Solo } from './single-node.js';

/** MsgApp carrying entries from `from` to `to` in the trace, from position `since`. */
function appsWithEntries(net: Network, from: NodeId, to: NodeId, since = 0): string[] {
  return net.trace.slice(since).filter((t) => t.startsWith(`MsgApp ${from}->${to} `) && !t.includes(' n0'));
}

describe('inflights window', () => {
  it('fills up to its capacity and frees up to an acknowledged index', () => {
    const w = new Inflights(3);
    w.add(5);
    w.add(9);
    w.add(12);
    expect(w.full()).toBe(true);
    expect(() => w.add(13)).toThrow(/full/);
    w.freeTo(9);
    expect(w.count).toBe(1);
    w.freeFirst();
    expect(w.count).toBe(0);
    expect(() => new Inflights(0)).toThrow(/positive/);
  });
});

describe('bounded pipelining', () => {
  it('stops at maxInflightMsgs appends to a follower that never answers, and resumes on acks', () => {
    const net = new Network([1, 2, 3], { config: { maxInflightMsgs: 4 } });
    const leader = net.electLeader();
    const slow = leader === 3 ? 2 : 3;
    net.node(leader).propose('warm-up');
    net.tick(2);
    expect(net.node(leader).status().progress[slow]?.state).toBe('replicate');

    net.filter = (m) => m.from !== slow; // it receives, but its answers are lost
    const since = net.trace.length;
    for (let i = 0; i < 30; i++) {
      net.node(leader).propose(`p${i}`);
      net.settle();
    }
    expect(appsWithEntries(net, leader, slow, since)).toHaveLength(4);
    const other = [1, 2, 3].find((id) => id !== leader && id !== slow)!;
    expect(appsWithEntries(net, leader, other, since)).toHaveLength(30);
    expect(net.node(leader).status().commit).toBe(net.node(leader).status().lastIndex); // the quorum goes on

    net.filter = undefined;
    net.tick(3);
    const st = net.node(leader).status();
    expect(st.progress[slow]).toMatchObject({ state: 'replicate', match: st.lastIndex });
    expect(net.node(slow).status().commit).toBe(st.lastIndex);
  });

  it('a heartbeat answer frees one slot of a full window', () => {
    const s = soloLeader([1, 2, 3], new MemoryStorage(), { maxInflightMsgs: 2 });
    ack(s, 2, 1); // 2 is in replicate
    const start = s.sent.length;
    for (let i = 0; i < 5; i++) {
      s.node.propose(`p${i}`);
      drain(s);
    }
    const since = s.sent.length;
    expect(sentTo(s, 2, start).filter((m) => m.type === 'MsgApp')).toHaveLength(2);
    s.node.step(message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: s.node.status().term }));
    drain(s);
    const resumed = sentTo(s, 2, since).filter((m) => m.type === 'MsgApp');
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.entries.map((e) => e.data)).toEqual(['p2', 'p3', 'p4']);
  });

  it('maxSizePerMsg splits a backlog into several appends, each with at least one entry', () => {
    const net = new Network([1, 2, 3], { config: { maxSizePerMsg: 100 } });
    const leader = net.electLeader();
    const lagging = leader === 3 ? 2 : 3;
    net.isolate(lagging);
    for (let i = 0; i < 30; i++) net.node(leader).propose(`${i}`.padEnd(40, '.'));
    net.node(leader).propose('x'.repeat(300));
    net.tick(2);
    const since = net.trace.length;
    net.heal();
    net.tick(3);
    const apps = appsWithEntries(net, leader, lagging, since);
    const sizes = apps.map((t) => Number(/ n(\d+)/.exec(t)![1]));
    expect(Math.max(...sizes)).toBe(2); // 2 × 40 bytes fit in 100, a third does not
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(31);
    expect(net.node(lagging).status().commit).toBe(net.node(leader).status().lastIndex);
    expect(net.node(lagging).entries(1, 100).at(-1)?.data).toBe('x'.repeat(300)); // alone, over the limit
  });
});

/** Leader 1 of [1, 2, 3] whose log is compacted at 10 (entries 1..10 of term 1). */
function compactedLeader(): Solo {
  const storage = new MemoryStorage();
  storage.append(Array.from({ length: 10 }, (_, i) => ({ term: 1, index: i + 1, type: 'normal' as const, data: `d${i}` })));
  storage.setHardState({ term: 1, vote: 0, commit: 10 });
  storage.createSnapshot(10, { voters: [1, 2, 3], learners: [] }, 'state@10');
  storage.compact(10);
  const s = soloLeader([1, 2, 3], storage);
  ack(s, 3, 11);
  // Follower 2 has nothing: it rejects the first append, and needs the snapshot.
  s.node.step(message({ type: 'MsgAppResp', from: 2, to: 1, term: s.node.status().term, index: 10, reject: true, rejectHint: 0 }));
  drain(s);
  return s;
}

describe('snapshot progress state', () => {
  it('holds appends after a MsgSnap until the follower acknowledges the snapshot', () => {
    const s = compactedLeader();
    expect(s.sent.at(-1)).toMatchObject({ type: 'MsgSnap', to: 2, snapshot: { index: 10 } });
    expect(s.node.status().progress[2]).toMatchObject({ state: 'snapshot' });
    const since = s.sent.length;
    s.node.propose('more');
    drain(s);
    s.node.step(message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: s.node.status().term }));
    drain(s);
    expect(sentTo(s, 2, since).filter((m) => m.type === 'MsgApp' || m.type === 'MsgSnap')).toEqual([]);

    ack(s, 2, 10); // the follower restored the snapshot
    expect(s.node.status().progress[2]).toMatchObject({ state: 'replicate', match: 10 });
    const apps = sentTo(s, 2, since).filter((m) => m.type === 'MsgApp');
    expect(apps.at(-1)).toMatchObject({ index: 10, logTerm: 1 });
    expect(apps.at(-1)!.entries.map((e) => e.index)).toEqual([11, 12]);
  });

  it('a failed snapshot goes back to probe and is sent again; a delivered one waits for the ack', () => {
    const s = compactedLeader();
    s.node.reportSnapshot(2, false);
    expect(s.node.status().progress[2]).toMatchObject({ state: 'probe', next: 1 });
    let since = s.sent.length;
    s.node.step(message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: s.node.status().term }));
    drain(s);
    expect(sentTo(s, 2, since).map((m) => m.type)).toContain('MsgSnap');

    s.node.reportSnapshot(2, true);
    expect(s.node.status().progress[2]).toMatchObject({ state: 'probe', next: 11 });
    since = s.sent.length;
    s.node.propose('more');
    drain(s);
    expect(sentTo(s, 2, since).filter((m) => m.type === 'MsgApp')).toEqual([]); // paused until it answers
    s.node.step(message({ type: 'MsgHeartbeatResp', from: 2, to: 1, term: s.node.status().term }));
    drain(s);
    expect(sentTo(s, 2, since).filter((m) => m.type === 'MsgApp').at(-1)).toMatchObject({ index: 10 });
  });
});

describe('reportUnreachable', () => {
  it('moves a follower in replicate back to probe', () => {
    const s = soloLeader([1, 2, 3]);
    ack(s, 2, 1);
    expect(s.node.status().progress[2]?.state).toBe('replicate');
    s.node.reportUnreachable(2);
    expect(s.node.status().progress[2]).toMatchObject({ state: 'probe', next: 2 });
    // One append in flight at a time in probe.
    const since = s.sent.length;
    s.node.propose('a');
    drain(s);
    s.node.propose('b');
    drain(s);
    expect(sentTo(s, 2, since).filter((m) => m.type === 'MsgApp')).toHaveLength(1);
    s.node.reportUnreachable(9); // unknown: ignored
  });
});
