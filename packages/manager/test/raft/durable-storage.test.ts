import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry, HardState, Snapshot } from '@shoal/raft';
import { describe, expect, it } from 'vitest';
import { CorruptLogError, frame } from '../../src/disk/framing.js';
import { encodeEntry, encodeSnapshot } from '../../src/raft/wire-codec.js';
import { MemoryLogStorage } from '../../src/disk/memory-log-storage.js';
import { LevelLogStorage } from '../../src/disk/io/level-log-storage.js';
import { DurableRaftStorage } from '../../src/raft/durable-storage.js';
import { ENTRY_PREFIX, entryKey, HARD_STATE_KEY, SNAPSHOT_KEY } from '../../src/raft/disk-codec.js';

/**
 * DurableRaftStorage is what a manager finds again after a restart: the Raft log, hard state and
 * snapshot it persisted, and nothing it overwrote or compacted. A damaged log must stop the manager
 * with a one-line error that says what is wrong, never start it on a silently different log.
 */

const conf = { voters: [1, 2, 3], learners: [] };

const entry = (index: number, term = 1, data: Entry['data'] = `{"i":${index}}`): Entry => ({ term, index, type: 'normal', data });
const range = (from: number, to: number, term = 1): Entry[] => Array.from({ length: to - from + 1 }, (_, i) => entry(from + i, term));

/** Every entry in memory, from firstIndex to lastIndex. */
const log = (s: DurableRaftStorage): Entry[] => s.entries(s.firstIndex(), s.lastIndex() + 1);

const storedEntryIndexes = (disk: MemoryLogStorage): number[] =>
  [...disk.data.keys()].filter((k) => k.startsWith(ENTRY_PREFIX)).map((k) => Number(k.slice(ENTRY_PREFIX.length))).sort((a, b) => a - b);

async function expectCorrupt(disk: MemoryLogStorage, ...patterns: RegExp[]): Promise<CorruptLogError> {
  const error = await DurableRaftStorage.open(disk).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CorruptLogError);
  const message = (error as Error).message;
  for (const p of patterns) expect(message).toMatch(p);
  expect(message.split('\n')).toHaveLength(1);
  return error as CorruptLogError;
}

describe('DurableRaftStorage on a MemoryLogStorage', () => {
  it('starts empty on an empty disk', async () => {
    const s = await DurableRaftStorage.open(new MemoryLogStorage());
    expect(s.isEmpty()).toBe(true);
    expect(s.initialState()).toEqual({ term: 0, vote: 0, commit: 0 });
    expect(s.lastIndex()).toBe(0);
    expect(s.raftId).toBeUndefined();
  });

  it('finds the same log, hard state, snapshot and raft id after a reopen', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.setRaftId(2);
    const snap: Snapshot = { index: 1, term: 1, voters: [1, 2, 3], learners: [], data: '{"store":{}}' };
    await s.bootstrap(snap);
    const hs: HardState = { term: 3, vote: 2, commit: 4 };
    const entries = [entry(2, 2), entry(3, 3, new Uint8Array([1, 2, 250])), entry(4, 3), entry(5, 3, '')];
    await s.persist({ hardState: hs, entries });
    expect(log(s)).toEqual(entries);

    const again = await DurableRaftStorage.open(disk);
    expect(again.isEmpty()).toBe(false);
    expect(again.raftId).toBe(2);
    expect(again.initialState()).toEqual(hs);
    expect(again.snapshot()).toEqual(snap);
    expect(again.firstIndex()).toBe(2);
    expect(again.lastIndex()).toBe(5);
    expect(log(again)).toEqual(entries);
    expect(again.term(1)).toBe(1);
  });

  it('a commit-only Ready is persisted too (the commit index survives a clean restart)', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 1 }, entries: range(1, 3) });
    await s.persist({ hardState: { term: 1, vote: 1, commit: 3 }, entries: [] });
    expect((await DurableRaftStorage.open(disk)).initialState()).toEqual({ term: 1, vote: 1, commit: 3 });
  });

  it('entries overwritten at a lower index leave no stale suffix after a reopen', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 2 }, entries: range(1, 6, 1) });
    // A new leader of term 2 overwrites the uncommitted suffix from index 3 with a shorter one.
    await s.persist({ hardState: { term: 2, vote: 2, commit: 2 }, entries: range(3, 4, 2) });
    expect(storedEntryIndexes(disk)).toEqual([1, 2, 3, 4]);

    const again = await DurableRaftStorage.open(disk);
    expect(again.lastIndex()).toBe(4);
    expect(log(again).map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 1], [3, 2], [4, 2]]);
    expect(again.term(5)).toBeUndefined();
  });

  it('a snapshot received from the leader replaces the whole log', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 3 }, entries: range(1, 5) });
    const snap: Snapshot = { index: 40, term: 4, voters: [1, 2, 3], learners: [4], data: '{"big":true}' };
    await s.persist({ snapshot: snap, hardState: { term: 4, vote: 0, commit: 40 }, entries: [] });
    expect(storedEntryIndexes(disk)).toEqual([]);
    await s.persist({ hardState: { term: 4, vote: 0, commit: 41 }, entries: [entry(41, 4)] });

    const again = await DurableRaftStorage.open(disk);
    expect(again.snapshot()).toEqual(snap);
    expect(again.firstIndex()).toBe(41);
    expect(log(again)).toEqual([entry(41, 4)]);
    expect(again.term(40)).toBe(4);
    expect(again.term(3)).toBeUndefined();
    expect(again.initialState().commit).toBe(41);
  });

  it('saveSnapshot keeps a tail of keepTail entries for slow followers', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 10 }, entries: range(1, 10) });
    await s.saveSnapshot(8, conf, '{"at":8}', 3);
    expect(s.snapshot()).toMatchObject({ index: 8, term: 1, data: '{"at":8}', voters: [1, 2, 3] });
    expect(s.firstIndex()).toBe(6);
    expect(log(s).map((e) => e.index)).toEqual([6, 7, 8, 9, 10]);
    expect(storedEntryIndexes(disk)).toEqual([6, 7, 8, 9, 10]);

    const again = await DurableRaftStorage.open(disk);
    expect(again.snapshot()).toMatchObject({ index: 8, term: 1, data: '{"at":8}' });
    expect(again.lastIndex()).toBe(10);
    expect(again.entries(9, 11)).toEqual(range(9, 10));
  });

  it('the tail kept after a snapshot holds at most keepTailBytes of entry data', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    const big = Array.from({ length: 10 }, (_, i) => entry(i + 1, 1, 'x'.repeat(100)));
    await s.persist({ hardState: { term: 1, vote: 1, commit: 10 }, entries: big });
    await s.saveSnapshot(10, conf, '{"at":10}', 500, 250);
    expect(log(s).map((e) => e.index)).toEqual([9, 10]);
    expect(storedEntryIndexes(disk)).toEqual([9, 10]);
  });

  it('keepTail larger than the log drops nothing', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 4 }, entries: range(1, 4) });
    await s.saveSnapshot(4, conf, 'x', 100);
    expect(storedEntryIndexes(disk)).toEqual([1, 2, 3, 4]);
    expect(s.firstIndex()).toBe(1);
  });

  it('keeps snapshotting across restarts without tearing its own log', async () => {
    // The steady state of a manager that restarts now and then: snapshot with a tail, restart,
    // append, snapshot again. Every reopen must succeed.
    const disk = new MemoryLogStorage();
    let s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 10 }, entries: range(1, 10) });
    await s.saveSnapshot(8, conf, '{"at":8}', 3);
    s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 20 }, entries: range(11, 20) });
    await s.saveSnapshot(20, conf, '{"at":20}', 3);
    s = await DurableRaftStorage.open(disk);
    expect(s.snapshot().index).toBe(20);
    expect(s.initialState().commit).toBe(20);
  });

  it('stores the string data of an entry once, unescaped, and reads entries and snapshots stored before that', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 3 }, entries: range(1, 3) });
    expect(disk.data.get(entryKey(2))!.endsWith('\n{"i":2}')).toBe(true);
    // What the previous version wrote: `<crc>:<JSON>` with the data escaped inside the JSON.
    const snap: Snapshot = { index: 3, term: 1, ...conf, data: '{"store":{"tables":{}},"members":[]}' };
    disk.data.set(SNAPSHOT_KEY, frame(JSON.stringify(encodeSnapshot(snap))));
    for (const e of range(4, 5)) disk.data.set(entryKey(e.index), frame(JSON.stringify(encodeEntry(e))));
    disk.data.set(HARD_STATE_KEY, frame(JSON.stringify({ term: 1, vote: 1, commit: 5 })));
    const again = await DurableRaftStorage.open(disk);
    expect(again.snapshot()).toEqual(snap);
    expect(log(again)).toEqual(range(4, 5));
  });

  it('a flipped character in an entry fails the checksum, naming the entry', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 3 }, entries: range(1, 3) });
    const key = entryKey(2);
    const value = disk.data.get(key)!;
    const at = value.indexOf('"i":2') + 4;
    disk.data.set(key, value.slice(0, at) + '7' + value.slice(at + 1));
    await expectCorrupt(disk, /raft entry at index 2\b/, /checksum/);
  });

  it('a flipped character in the hard state fails the checksum', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 5, vote: 1, commit: 1 }, entries: range(1, 1) });
    disk.data.set(HARD_STATE_KEY, disk.data.get(HARD_STATE_KEY)!.replace('"term":5', '"term":6'));
    await expectCorrupt(disk, /hard state/, /checksum/);
  });

  it('a missing entry in the middle is reported as a torn log', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 2 }, entries: range(1, 5) });
    disk.data.delete(entryKey(3));
    await expectCorrupt(disk, /gap/, /torn/, /\b2\b/, /\b4\b/);
  });

  it('a commit index beyond the last entry is reported as a torn log', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 5 }, entries: range(1, 5) });
    disk.data.delete(entryKey(5));
    disk.data.delete(entryKey(4));
    await expectCorrupt(disk, /torn/, /\b3\b/, /\b5\b/);
  });

  it('an entry stored under the key of another index is corrupt', async () => {
    const disk = new MemoryLogStorage();
    const s = await DurableRaftStorage.open(disk);
    await s.persist({ hardState: { term: 1, vote: 1, commit: 1 }, entries: range(1, 3) });
    disk.data.set(entryKey(2), disk.data.get(entryKey(3))!);
    await expectCorrupt(disk, /index 2\b/);
  });
});

describe('DurableRaftStorage on LevelDB', () => {
  it('finds the same log, hard state and snapshot after closing and reopening the database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-raft-storage-'));
    try {
      const s = await DurableRaftStorage.open(await LevelLogStorage.open(dir));
      await s.setRaftId(7);
      await s.bootstrap({ index: 1, term: 1, voters: [7], learners: [], data: '{"store":1}' });
      await s.persist({ hardState: { term: 2, vote: 7, commit: 3 }, entries: [entry(2, 2), entry(3, 2, new Uint8Array([0, 255])), entry(4, 2)] });
      await s.persist({ hardState: { term: 3, vote: 7, commit: 3 }, entries: [entry(4, 3), entry(5, 3)] });
      await s.saveSnapshot(3, { voters: [7], learners: [] }, '{"store":3}', 1);
      const before = { hs: s.initialState(), snap: s.snapshot(), first: s.firstIndex(), entries: s.entries(4, 6) };
      await s.close();

      const again = await DurableRaftStorage.open(await LevelLogStorage.open(dir));
      try {
        expect(again.raftId).toBe(7);
        expect(again.initialState()).toEqual(before.hs);
        expect(again.snapshot()).toEqual(before.snap);
        expect(again.snapshot()).toMatchObject({ index: 3, term: 2, data: '{"store":3}' });
        expect(again.lastIndex()).toBe(5);
        expect(again.entries(4, 6)).toEqual(before.entries);
        expect(again.entries(4, 6).map((e) => e.term)).toEqual([3, 3]);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
