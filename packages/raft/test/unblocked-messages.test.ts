import { describe, expect, it } from 'vitest';
import { seededRng } from '@shoal/common';
import { MemoryStorage, message, RaftNode } from '../src/index.js';
import { soloLeader } from './single-node.js';

describe('messages handed out between Readies (takeUnblockedMessages)', () => {
  it("a leader's heartbeats leave on the tick while a Ready is still being handled", () => {
    const s = soloLeader([1, 2, 3]);
    s.node.propose('big');
    const rd = s.node.ready(); // the driver is persisting and applying this one
    expect(rd.entries).toHaveLength(1);
    s.node.tick();
    const early = s.node.takeUnblockedMessages();
    expect(early.map((m) => `${m.type}->${m.to}`).sort()).toEqual(['MsgHeartbeat->2', 'MsgHeartbeat->3']);
    expect(s.node.takeUnblockedMessages()).toEqual([]); // handed out once
    s.storage.append(rd.entries);
    s.node.advance(rd);
    expect(s.node.hasReady()).toBe(false);
  });

  it('acknowledgements of entries stay in the Ready; heartbeat answers leave early', () => {
    const storage = new MemoryStorage();
    const n = new RaftNode({ id: 2, peers: [1, 2, 3], storage, rng: seededRng(3) });
    n.step(message({ type: 'MsgHeartbeat', from: 1, to: 2, term: 1 }));
    const first = n.ready(); // a new term: durable only once this Ready is written
    expect(first.hardState?.term).toBe(1);
    n.step(message({ type: 'MsgApp', from: 1, to: 2, term: 1, index: 0, logTerm: 0, entries: [{ term: 1, index: 1, type: 'normal', data: 'x' }] }));
    expect(n.takeUnblockedMessages()).toEqual([]); // the term is not on disk yet: nothing leaves early
    storage.setHardState(first.hardState!);
    n.advance(first);
    n.step(message({ type: 'MsgHeartbeat', from: 1, to: 2, term: 1 }));
    expect(n.takeUnblockedMessages().map((m) => m.type)).toEqual(['MsgHeartbeatResp']);
    const rd = n.ready();
    expect(rd.messages.map((m) => m.type)).toEqual(['MsgAppResp']); // waits for the entry's write
  });

  it('a candidate hands out nothing early: its new term and vote must be written first', () => {
    const n = new RaftNode({ id: 1, peers: [1, 2, 3], storage: new MemoryStorage(), rng: seededRng(9), preVote: false });
    n.campaign();
    expect(n.status().state).toBe('candidate');
    expect(n.takeUnblockedMessages()).toEqual([]);
    expect(n.ready().messages.map((m) => m.type)).toEqual(['MsgVote', 'MsgVote']);
  });
});
