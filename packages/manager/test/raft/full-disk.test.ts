import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ERROR_CODES, seededRng } from '@shoal/common';
import { afterEach, describe, expect, it } from 'vitest';
import { Manager } from '../../src/io/manager.js';
import { DISK_FULL_MESSAGE, isDiskFull } from '../../src/raft/disk-full.js';
import { cluster } from '../store/fixtures.js';

/**
 * A manager whose disk fills up (ENOSPC injected under the Raft log, as LevelDB reports it): it
 * must not stop, must refuse writes with one clear line, keep serving reads, and resume writing by
 * itself once space is back. Its log must then hold every write it acknowledged.
 */

type Op = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

/** The key-value store under the Raft log, on a disk that can be made full. */
class FillableDisk {
  readonly data = new Map<string, string>();
  full = false;
  opens = 0;
  closes = 0;
  dir: string | undefined;

  open(): Promise<FillableDisk['handle']> {
    this.opens++;
    if (this.full) return Promise.reject(levelError('Database failed to open', ioError('000005.ldb')));
    return Promise.resolve(this.handle);
  }

  readonly handle = {
    load: async () => [...this.data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    write: async (ops: Op[]) => {
      if (this.full) throw ioError('000003.log');
      for (const op of ops) {
        if (op.type === 'put') this.data.set(op.key, op.value);
        else this.data.delete(op.key);
      }
    },
    close: async () => {
      this.closes++;
    },
  };
}

const ioError = (file: string) => Object.assign(new Error(`IO error: /data/raft/${file}: No space left on device`), { code: 'LEVEL_IO_ERROR' });
const levelError = (message: string, cause: Error) => Object.assign(new Error(message, { cause }), { code: 'LEVEL_DATABASE_NOT_OPEN' });

const clock = { now: () => Date.now() };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const TUNING = { timing: { tickMs: 20, electionTicks: 10, heartbeatTicks: 1 }, diskRetryMs: 20 };

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const opened: Manager[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const m of opened.splice(0)) await m.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function open(disk: FillableDisk, fatal: unknown[], logged: string[]): Promise<Manager> {
  // Unused when the disk is injected; a real directory all the same, should it not be.
  const dir = (disk.dir ??= await mkdtemp(join(tmpdir(), 'shoal-full-disk-')));
  dirs.push(dir);
  const log = { info: (_: object, msg?: string) => logged.push(msg ?? ''), warn() {}, error() {} };
  return Manager.open({
    dataDir: dir,
    nodeId: 'm1',
    addr: '127.0.0.1:1',
    clock,
    rng: seededRng(7),
    log,
    credentials: () => grpc.credentials.createInsecure(),
    raft: TUNING,
    onFatal: (e) => fatal.push(e),
    openLog: () => disk.open(),
  }).then((m) => {
    opened.push(m);
    return m;
  });
}

const create = (m: Manager, id: string) => m.store.update((tx) => tx.create('clusters', cluster(id)));
const ids = (m: Manager) => m.store.view().list('clusters').map((c) => c.id).sort();
const errorOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error & { code?: string });

describe('a manager on a full disk', () => {
  it('refuses writes with one clear line, keeps serving reads, and resumes when space is back', async () => {
    const disk = new FillableDisk();
    const fatal: unknown[] = [];
    const m = await open(disk, fatal, []);
    await m.bootstrapGroup(1, [{ raftId: 1, nodeId: 'm1', addr: '127.0.0.1:1' }]);
    await m.waitUntilLeader(10_000);
    await create(m, 'before');

    disk.full = true;
    // The write that meets the full disk: its entry waits in the log for space.
    const first = await errorOf(create(m, 'in-flight'));
    expect(first?.code).toBe(ERROR_CODES.RESOURCE_EXHAUSTED);
    expect(first?.message).toContain(DISK_FULL_MESSAGE);
    // Later writes are refused at once, before they reach the log.
    const refused = await errorOf(create(m, 'refused'));
    expect(refused?.code).toBe(ERROR_CODES.RESOURCE_EXHAUSTED);
    expect(refused?.message).toBe(DISK_FULL_MESSAGE);
    // Reads still answer (at once, warning that they may be stale), and the manager did not stop.
    expect(ids(m)).toEqual(['before']);
    expect(await m.raft.readBarrier()).toBe(`${DISK_FULL_MESSAGE}: this is the last state this manager knows and may be stale`);
    expect(fatal).toEqual([]);

    disk.full = false;
    await until('a write to succeed again', () => errorOf(create(m, 'after')).then((e) => (e ? undefined : true)));
    expect(ids(m)).toEqual(['after', 'before', 'in-flight']);
    expect(fatal).toEqual([]);
    // LevelDB was closed and opened again before the retry (its log may end in a torn record).
    expect(disk.closes).toBeGreaterThan(0);
    expect(disk.opens).toBeGreaterThan(1);

    // What the log holds after a restart is what was acknowledged (and the entry that waited).
    await opened.splice(0)[0]!.close();
    const again = await open(disk, fatal, []);
    again.start();
    await again.waitUntilLeader(10_000);
    expect(ids(again)).toEqual(['after', 'before', 'in-flight']);
  });

  it('waits for space to open its log at start-up instead of exiting, saying so once', async () => {
    const disk = new FillableDisk();
    const fatal: unknown[] = [];
    const first = await open(disk, fatal, []);
    await first.bootstrapGroup(1, [{ raftId: 1, nodeId: 'm1', addr: '127.0.0.1:1' }]);
    await first.waitUntilLeader(10_000);
    await create(first, 'kept');
    await opened.splice(0)[0]!.close();

    disk.full = true;
    const logged: string[] = [];
    let ready: Manager | undefined;
    const opening = open(disk, fatal, logged).then((m) => (ready = m));
    await until('several attempts to open the log', () => (disk.opens >= 4 ? true : undefined));
    expect(ready).toBeUndefined();
    expect(logged.filter((l) => l.includes(DISK_FULL_MESSAGE))).toEqual([
      `cannot open the raft log: ${DISK_FULL_MESSAGE}; trying again every 0.02 s until space is freed (writes are refused meanwhile)`,
    ]);

    disk.full = false;
    const m = await opening;
    m.start();
    await m.waitUntilLeader(10_000);
    expect(ids(m)).toEqual(['kept']);
    expect(fatal).toEqual([]);
  });
});

describe('isDiskFull', () => {
  it('recognises ENOSPC and quota errors from Node and from LevelDB, and nothing else', () => {
    expect(isDiskFull(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('x'), { code: 'EDQUOT' }))).toBe(true);
    expect(isDiskFull(ioError('000003.log'))).toBe(true);
    expect(isDiskFull(levelError('Database failed to open', ioError('000005.ldb')))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('IO error: /data/raft/000003.log: Input/output error'), { code: 'LEVEL_IO_ERROR' }))).toBe(false);
    expect(isDiskFull('No space left on device')).toBe(false);
  });
});
