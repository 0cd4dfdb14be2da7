import { describe, expect, it } from 'vitest';
import { RaftLog } from '../src/raft-log.js';
import { MemoryStorage } from '../src/storage.js';
import type { Entry } from '../src/types.js';

const e = (index: number, term: number): Entry => ({ index, term, type: 'normal', data: `${index}@${term}` });

function logWith(stable: Entry[], unstable: Entry[] = []): { log: RaftLog; storage: MemoryStorage } {
  const storage = new MemoryStorage();
  storage.append(stable);
  const log = new RaftLog(storage, 0);
  log.append(unstable);
  return { log, storage };
}

describe('RaftLog', () => {
  it('reads terms and slices across stable and unstable entries', () => {
    const { log } = logWith([e(1, 1), e(2, 1)], [e(3, 2)]);
    expect(log.lastIndex()).toBe(3);
    expect(log.lastTerm()).toBe(2);
    expect(log.term(0)).toBe(0);
    expect(log.term(4)).toBeUndefined();
    expect(log.slice(2, 4)).toEqual([e(2, 1), e(3, 2)]);
    expect(log.unstableEntries()).toEqual([e(3, 2)]);
  });

  it('rejects an append whose previous entry does not match', () => {
    const { log } = logWith([e(1, 1), e(2, 1)]);
    expect(log.maybeAppend(2, 2, [e(3, 2)])).toBeUndefined();
    expect(log.maybeAppend(3, 1, [e(4, 2)])).toBeUndefined();
    expect(log.lastIndex()).toBe(2);
  });

  it('skips entries it already has and keeps a longer matching tail', () => {
    const { log } = logWith([e(1, 1), e(2, 1), e(3, 1)]);
    expect(log.maybeAppend(1, 1, [e(2, 1)])).toBe(2);
    expect(log.lastIndex()).toBe(3);
    expect(log.unstableEntries()).toEqual([]);
  });

  it('truncates a conflicting stable tail, and storage follows on the next persist', () => {
    const { log, storage } = logWith([e(1, 1), e(2, 1), e(3, 1)]);
    expect(log.maybeAppend(1, 1, [e(2, 2), e(3, 2), e(4, 2)])).toBe(4);
    expect(log.slice(1, 5)).toEqual([e(1, 1), e(2, 2), e(3, 2), e(4, 2)]);
    const unstable = log.unstableEntries();
    storage.append(unstable);
    log.stableTo(4, 2);
    expect(log.unstableEntries()).toEqual([]);
    expect(storage.entries(1, 5)).toEqual([e(1, 1), e(2, 2), e(3, 2), e(4, 2)]);
  });

  it('truncates a conflicting unstable tail', () => {
    const { log } = logWith([e(1, 1)], [e(2, 1), e(3, 1)]);
    log.maybeAppend(2, 1, [e(3, 3)]);
    expect(log.unstableEntries()).toEqual([e(2, 1), e(3, 3)]);
  });

  it('never overwrites committed entries', () => {
    const { log } = logWith([e(1, 1), e(2, 1)]);
    log.commitTo(2);
    expect(() => log.append([e(2, 5)])).toThrow(/committed/);
  });

  it('compares logs by last term, then length', () => {
    const { log } = logWith([e(1, 1), e(2, 2)]);
    expect(log.isUpToDate(2, 2)).toBe(true);
    expect(log.isUpToDate(1, 2)).toBe(false);
    expect(log.isUpToDate(1, 3)).toBe(true);
    expect(log.isUpToDate(5, 1)).toBe(false);
  });
});
