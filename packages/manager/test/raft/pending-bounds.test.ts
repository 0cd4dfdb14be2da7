import { ERROR_CODES, manualClock, seededRng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import type { HostEvents, RaftHost } from '../../src/raft/raft-host.js';
import { RaftProposer } from '../../src/raft/raft-proposer.js';
import { ReadWaiters } from '../../src/raft/read-waiters.js';
import { decodeProposal } from '../../src/raft/state-machine-data.js';
import type { StoreAction } from '../../src/store/types.js';

/** Writes and reads that wait on Raft are bounded: past the bound a caller gets a clear error at once. */

/** A leader whose entries are applied only when the test says so. */
function fakeLeader() {
  const proposed: string[] = [];
  let events: HostEvents = {};
  const host = {
    raftId: 1,
    on: (e: HostEvents) => (events = { ...events, ...e }),
    isLeader: () => true,
    propose: (data: string) => proposed.push(data) > 0,
  } as unknown as RaftHost;
  const applyAll = () => {
    for (const data of proposed.splice(0)) {
      const p = decodeProposal(data);
      events.applied?.(p.p, p.x.map(() => ({ ok: true })));
    }
  };
  return { host, applyAll };
}

const action: StoreAction = { kind: 'remove', table: 'clusters', id: 'c', expectedVersion: 1 } as unknown as StoreAction;

/** Whether a promise has settled, after every callback already queued has run (no timing). */
async function outcome<T>(p: Promise<T>): Promise<'pending' | 'resolved' | unknown> {
  return Promise.race([p.then(() => 'resolved', (e: unknown) => e), new Promise((r) => setImmediate(() => r('pending')))]);
}

describe('RaftProposer under a flood of proposals', () => {
  it('refuses a write past the bound with a clear error, and takes writes again once entries apply', async () => {
    const { host, applyAll } = fakeLeader();
    const deferred: Array<() => void> = [];
    const proposer = new RaftProposer({
      host,
      clock: manualClock(0),
      rng: seededRng(1),
      defer: (fn) => deferred.push(fn),
      schedule: () => () => {},
      reachability: () => ({ reachable: 1, total: 1 }),
      maxPendingTransactions: 100,
    });
    const accepted = Array.from({ length: 100 }, () => proposer.propose([action]));
    const refused = await outcome(proposer.propose([action]));
    expect(refused).toMatchObject({ code: ERROR_CODES.RESOURCE_EXHAUSTED, message: expect.stringMatching(/too many proposals in flight \(100, max 100\)/) });

    deferred.splice(0).forEach((fn) => fn());
    applyAll();
    expect(await Promise.all(accepted)).toHaveLength(100);
    const again = proposer.propose([action]);
    deferred.splice(0).forEach((fn) => fn());
    applyAll();
    await expect(again).resolves.toEqual({ ok: true });
  });
});

describe('ReadWaiters under a flood of reads', () => {
  it('refuses a read past the bound, and takes reads again once earlier ones settle', async () => {
    const reads = new ReadWaiters(() => 10, 3);
    const schedule = () => () => {};
    const pending = [reads.add(1_000, schedule), reads.add(1_000, schedule), reads.add(1_000, schedule)];
    let error: unknown;
    try {
      reads.add(1_000, schedule);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: ERROR_CODES.RESOURCE_EXHAUSTED, message: expect.stringMatching(/too many reads waiting/) });
    reads.confirmed([{ index: 10, requestCtx: pending[0]!.id }]);
    reads.appliedAdvanced();
    await pending[0]!.promise;
    expect(() => reads.add(1_000, schedule)).not.toThrow();
  });
});
