import { seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { MemoryStorage, message, RaftNode, type Ready } from '../src/index.js';
import { MAX_PENDING_READS } from '../src/read-index.js';
import { Network } from './network.js';

/** Takes a Ready and does what a driver would: persist, then advance. */
function handle(node: RaftNode, storage: MemoryStorage): Ready {
  const rd = node.ready();
  if (rd.hardState) storage.setHardState(rd.hardState);
  storage.append(rd.entries);
  node.advance(rd);
  return rd;
}

describe('linearizable reads (ReadIndex)', () => {
  it('the leader answers with its commit index after a heartbeat round to a quorum', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    net.node(leader).propose('a');
    net.tick(2);
    const commit = net.node(leader).status().commit;

    expect(net.node(leader).readIndex('r1')).toBe(true);
    net.settle();
    expect(net.member(leader).readStates).toEqual([{ index: commit, requestCtx: 'r1' }]);
    expect(net.trace.some((t) => t.startsWith(`MsgHeartbeat ${leader}->`))).toBe(true);
  });

  it('a cut-off leader answers no read until a quorum has confirmed its leadership', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    net.node(leader).propose('a');
    net.tick(2);
    net.isolate(leader);
    net.node(leader).readIndex('r1');
    net.node(leader).readIndex('r2');
    net.tick(3);
    expect(net.member(leader).readStates).toEqual([]);

    net.heal();
    net.tick(1); // the periodic heartbeat carries the newest request and confirms both
    const commit = net.node(leader).status().commit;
    expect(net.member(leader).readStates).toEqual([
      { index: commit, requestCtx: 'r1' },
      { index: commit, requestCtx: 'r2' },
    ]);
  });

  it('a follower forwards the request and gets the leader commit index back', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const follower = leader === 1 ? 2 : 1;
    net.node(leader).propose('a');
    net.node(leader).propose('b');
    net.settle(); // committed on the leader; the follower learns the commit index only later
    const commit = net.node(leader).status().commit;

    expect(net.node(follower).readIndex('f1')).toBe(true);
    net.settle();
    expect(net.trace).toContain(`MsgReadIndexResp ${leader}->${follower} t${net.node(leader).status().term} i${commit} lt0 c0 n0`);
    expect(net.member(follower).readStates).toEqual([{ index: commit, requestCtx: 'f1' }]);
    expect(net.member(leader).readStates).toEqual([]);
  });

  it('a node that knows no leader drops the request', () => {
    const net = new Network([1, 2, 3]);
    expect(net.node(1).readIndex('r')).toBe(false);
  });

  it('a single node answers at once', () => {
    const net = new Network([1]);
    net.electLeader();
    net.node(1).readIndex('solo');
    net.settle();
    expect(net.member(1).readStates).toEqual([{ index: net.node(1).status().commit, requestCtx: 'solo' }]);
  });

  it('a new leader defers reads until an entry of its own term is committed', () => {
    const storage = new MemoryStorage();
    storage.append([
      { term: 1, index: 1, type: 'normal', data: 'one' },
      { term: 1, index: 2, type: 'normal', data: 'two' },
    ]);
    storage.setHardState({ term: 1, vote: 0, commit: 1 });
    const node = new RaftNode({ id: 1, peers: [1, 2, 3], storage, rng: seededRng(3) });
    node.campaign();
    node.step(message({ type: 'MsgPreVoteResp', from: 2, to: 1, term: 2 }));
    node.step(message({ type: 'MsgVoteResp', from: 2, to: 1, term: 2 }));
    expect(node.status()).toMatchObject({ state: 'leader', term: 2, commit: 1, lastIndex: 3 });
    handle(node, storage);

    node.readIndex('early');
    expect(node.hasReady()).toBe(false); // deferred: no heartbeat round, no answer

    // The empty entry of term 2 commits (and with it index 2): the read goes out for confirmation.
    node.step(message({ type: 'MsgAppResp', from: 2, to: 1, term: 2, index: 3 }));
    expect(node.status().commit).toBe(3);
    const rd = handle(node, storage);
    const beats = rd.messages.filter((m) => m.type === 'MsgHeartbeat' && m.context !== '');
    expect(beats.map((m) => m.to)).toEqual([2, 3]);
    expect(rd.readStates).toEqual([]);

    node.step(message({ type: 'MsgHeartbeatResp', from: 3, to: 1, term: 2, context: beats[0]!.context }));
    expect(handle(node, storage).readStates).toEqual([{ index: 3, requestCtx: 'early' }]);
  });

  it('a read request is dropped when its leader steps down before confirming it', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    net.isolate(leader);
    net.node(leader).readIndex('lost');
    net.tick(25);
    expect(net.node(leader).status().state).toBe('follower');
    net.heal();
    net.tick(5);
    expect(net.member(leader).readStates).toEqual([]);
  });

  it('a leader holds a bounded number of reads: a peer flooding it with requests cannot grow its queue without end', () => {
    const net = new Network([1, 2, 3]);
    const leader = net.electLeader();
    const peer = leader === 1 ? 2 : 1;
    net.node(leader).propose('a');
    net.settle();
    net.isolate(leader); // no heartbeat round completes: every request stays queued
    for (let i = 0; i < MAX_PENDING_READS + 100; i++) {
      net.node(leader).step(message({ type: 'MsgReadIndex', from: peer, to: leader, context: `flood-${i}` }));
      net.settle(); // the heartbeats it sends are lost: it is cut off
    }
    net.heal();
    net.tick(1);
    net.settle();
    expect(net.member(peer).readStates).toHaveLength(MAX_PENDING_READS);
  });
});

