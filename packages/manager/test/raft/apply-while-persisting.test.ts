import { manualClock, seededRng } from '@shoal/common';
import { message, type Message } from '@shoal/raft';
import { describe, expect, it } from 'vitest';
import { MemoryLogStorage } from '../../src/disk/memory-log-storage.js';
import type { StorageOp } from '../../src/disk/log-storage.js';
import { DurableRaftStorage } from '../../src/raft/durable-storage.js';
import { RaftHost } from '../../src/raft/raft-host.js';
import { RaftProposer } from '../../src/raft/raft-proposer.js';
import { encodeSnapshotData } from '../../src/raft/state-machine-data.js';
import { MemoryStore } from '../../src/store/index.js';
import { cluster } from '../store/fixtures.js';

/**
 * The leader of three (the test plays follower 2; 3 stays silent) sends new entries while its
 * disk writes them, and applies a write that is committed and already on its disk while it syncs
 * the next batch: a slow disk then costs each write one sync on the leader, side by side with the
 * follower's, instead of two or three in a row.
 */

/** A disk whose writes can be held until released, one at a time. */
class GatedDisk extends MemoryLogStorage {
  private held = false;
  private waiting: Array<() => void> = [];
  hold(): void {
    this.held = true;
  }
  get blocked(): number {
    return this.waiting.length;
  }
  /** Lets the held writes go; the next write is held again when `holdNext`. */
  release(holdNext: boolean): void {
    this.held = holdNext;
    for (const go of this.waiting.splice(0)) go();
  }
  override async write(ops: StorageOp[]): Promise<void> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.write(ops);
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Follower 2's answer to what the leader sent it. */
function answer(m: Message): Message | undefined {
  const base = { from: 2, to: 1, term: m.term };
  if (m.type === 'MsgPreVote') return message({ ...base, type: 'MsgPreVoteResp' });
  if (m.type === 'MsgVote') return message({ ...base, type: 'MsgVoteResp' });
  if (m.type === 'MsgApp') return message({ ...base, type: 'MsgAppResp', index: m.index + m.entries.length });
  if (m.type === 'MsgHeartbeat') return message({ ...base, type: 'MsgHeartbeatResp' });
  return undefined;
}

/** Timers by hand: the host's ticks (100 ms) run only when the test says. */
function handTimers() {
  let ticks: Array<() => void> = [];
  const schedule = (delayMs: number, fn: () => void) => {
    if (delayMs !== 100) return () => {};
    ticks.push(fn);
    return () => (ticks = ticks.filter((f) => f !== fn));
  };
  const tick = () => {
    for (const fn of ticks.splice(0)) fn();
  };
  return { schedule, tick };
}

async function leaderOfThree(timers = handTimers()) {
  const clock = manualClock(Date.UTC(2024, 0, 1));
  const disk = new GatedDisk();
  const store = new MemoryStore();
  const storage = await DurableRaftStorage.open(disk);
  await storage.setRaftId(1);
  const members = [1, 2, 3].map((raftId) => ({ raftId, nodeId: `n${raftId}`, addr: '' }));
  await storage.bootstrap({ index: 1, term: 1, voters: [1, 2, 3], learners: [], data: encodeSnapshotData({ store: store.snapshot(), members }) });
  const toFollower: Message[] = [];
  const noTimers = () => () => {};
  const host = new RaftHost({
    raftId: 1,
    storage,
    machine: store,
    transport: { send: (ms) => toFollower.push(...ms.filter((m) => m.to === 2)), setMembers() {}, lastHeard: () => undefined },
    clock,
    rng: seededRng(1),
    schedule: timers.schedule,
    onFatal: (error) => {
      throw error;
    },
    log() {},
  });
  const proposer = new RaftProposer({ host, clock, rng: seededRng(2), defer: (fn) => setImmediate(fn), schedule: noTimers, reachability: () => ({ reachable: 2, total: 3 }) });
  store.setProposer(proposer);
  /** Steps follower 2's answers to everything the leader sent it so far. */
  const answerAll = () => {
    for (const m of toFollower.splice(0)) {
      const a = answer(m);
      if (a) host.step(a);
    }
  };
  host.start();
  host.campaign();
  for (let i = 0; i < 20 && !host.isLeader(); i++) {
    await settle();
    answerAll();
  }
  expect(host.isLeader()).toBe(true);
  return { disk, store, answerAll, toFollower, tick: timers.tick };
}

describe('the raft host', () => {
  it('applies an entry already on its disk while it syncs the next entries', async () => {
    const { disk, store, answerAll, toFollower } = await leaderOfThree();
    await settle();
    answerAll();

    // W2 is on the leader's disk and sent to follower 2, which has not answered yet.
    let w2Done = false;
    const w2 = store.update((tx) => tx.create('clusters', cluster('w2'))).then(() => (w2Done = true));
    await settle();
    await settle();
    const heldForW2 = toFollower.splice(0);
    expect(heldForW2.some((m) => m.type === 'MsgApp' && m.entries.length > 0)).toBe(true);

    // W3's sync is held; meanwhile follower 2 acknowledges W2 and W4 is proposed.
    disk.hold();
    const w3 = store.update((tx) => tx.create('clusters', cluster('w3')));
    await settle();
    await settle();
    expect(disk.blocked).toBe(1);
    toFollower.push(...heldForW2);
    answerAll();
    const w4 = store.update((tx) => tx.create('clusters', cluster('w4')));
    await settle();
    await settle();

    // W3's batch lands; W4's is held: W2, committed and on disk, is applied during that sync.
    disk.release(true);
    for (let i = 0; i < 5; i++) await settle();
    expect(disk.blocked).toBe(1);
    expect(store.view().get('clusters', 'w2')).toBeDefined();
    expect(w2Done).toBe(true);
    expect(store.view().get('clusters', 'w4')).toBeUndefined();

    disk.release(false);
    for (let i = 0; i < 5; i++) {
      await settle();
      answerAll();
    }
    await Promise.all([w2, w3, w4]);
    expect(store.view().list('clusters').map((c) => c.id).sort()).toEqual(['w2', 'w3', 'w4']);
  });

  it('sends a new entry to the followers while it writes it, and commits it only once written', async () => {
    const { disk, store, answerAll, toFollower } = await leaderOfThree();
    await settle();
    answerAll();
    disk.hold();
    let done = false;
    const w = store.update((tx) => tx.create('clusters', cluster('w'))).then(() => (done = true));
    await settle();
    await settle();
    expect(disk.blocked).toBe(1);
    expect(toFollower.some((m) => m.type === 'MsgApp' && m.entries.length > 0)).toBe(true);
    // Follower 2 has it; the leader's own copy is still being written: not yet a majority.
    answerAll();
    await settle();
    expect(done).toBe(false);
    disk.release(false);
    for (let i = 0; i < 5; i++) {
      await settle();
      answerAll();
    }
    await w;
    expect(store.view().get('clusters', 'w')).toBeDefined();
  });

  it('sends heartbeats on its tick while a Ready is still being written', async () => {
    const { disk, store, answerAll, toFollower, tick } = await leaderOfThree();
    await settle();
    answerAll();
    disk.hold();
    const w = store.update((tx) => tx.create('clusters', cluster('slow')));
    await settle();
    await settle();
    expect(disk.blocked).toBe(1);
    toFollower.splice(0);
    tick();
    expect(toFollower.filter((m) => m.type === 'MsgHeartbeat')).toHaveLength(1);
    disk.release(false);
    for (let i = 0; i < 5; i++) {
      await settle();
      answerAll();
    }
    await w;
  });
});
