import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '@shoal/common';
import { ClassicLevel } from 'classic-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptLogError, entryKey, openLocalStore, SNAPSHOT_KEY } from '../../src/proposer/index.js';
import { cluster } from '../store/fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoal-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (snapshotInterval = 1000) => openLocalStore({ path: dir, clock: manualClock(Date.UTC(2024, 5, 1)), snapshotInterval });

async function rawKeys(): Promise<string[]> {
  const db = new ClassicLevel<string, string>(dir);
  const keys = await db.keys().all();
  await db.close();
  return keys;
}

async function tamper(key: string, edit: (value: string) => string): Promise<void> {
  const db = new ClassicLevel<string, string>(dir);
  await db.put(key, edit(await db.get(key) as string));
  await db.close();
}

async function writeSequentially(count: number, start = 0): Promise<void> {
  const { store, proposer } = await open(4);
  for (let i = start; i < start + count; i++) await store.update((tx) => tx.create('clusters', cluster(`c${i}`)));
  await proposer.close();
}

describe('LocalLogProposer on LevelDB', () => {
  it('keeps the state across close and reopen', async () => {
    const first = await open();
    await first.store.update((tx) => tx.create('clusters', cluster('a')));
    const a = first.store.view().get('clusters', 'a')!;
    await first.store.update((tx) => tx.update('clusters', { ...a, spec: { ...a.spec, heartbeatPeriodMs: 42 } }));
    await Promise.all(['b', 'c'].map((id) => first.store.update((tx) => tx.create('clusters', cluster(id)))));
    const before = first.store.snapshot();
    await first.proposer.close();

    const second = await open();
    expect(second.store.snapshot()).toEqual(before);
    expect(second.store.lastIndex).toBe(3);
    await second.store.update((tx) => tx.remove('clusters', 'b'));
    expect(second.store.lastIndex).toBe(4);
    await second.proposer.close();
  });

  it('snapshots every N entries, drops the covered entries, and recovers from the snapshot', async () => {
    await writeSequentially(10);
    const keys = await rawKeys();
    expect(keys).toContain(SNAPSHOT_KEY);
    expect(keys.filter((k) => k.startsWith('entry/'))).toEqual([entryKey(9), entryKey(10)]);

    const { store, proposer } = await open(4);
    expect(store.lastIndex).toBe(10);
    expect(store.view().list('clusters').map((c) => c.id)).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`));
    expect(store.view().get('clusters', 'c9')!.meta.version).toBe(10);
    await proposer.close();
    await writeSequentially(3, 10);
    const again = await open();
    expect(again.store.view().list('clusters')).toHaveLength(13);
    await again.proposer.close();
  });

  it('refuses to start on a damaged entry, naming its index', async () => {
    await writeSequentially(3);
    await tamper(entryKey(2), (v) => v.replace('"c1"', '"cX"'));
    const failure = open();
    await expect(failure).rejects.toBeInstanceOf(CorruptLogError);
    await expect(failure).rejects.toThrow(/corrupt local log: entry at index 2 fails its checksum/);
    // the database was closed on failure, so it can be opened again
    expect(await rawKeys()).toContain(entryKey(3));
  });

  it('refuses to start on a damaged snapshot', async () => {
    await writeSequentially(5);
    await tamper(SNAPSHOT_KEY, (v) => v.replace('"c0"', '"cY"'));
    await expect(open()).rejects.toThrow(/corrupt local log: snapshot fails its checksum/);
  });
});
