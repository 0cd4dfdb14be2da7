import { describe, expect, it } from 'vitest';
import { nodesForSeed, simulate, SimFailure, type FaultRates, type SimBug } from './simulate.js';

/** Seeds run by `npm test`; `npm run sim:many` runs thousands more. */
const SEEDS = 100;
/** Simulated ms of faults per seed (the CLI default is 20 000); ~40 s for the whole file on 2 cores. */
const SIM_MS = 40_000;

describe('deterministic simulation', () => {
  it(`keeps every invariant over ${SEEDS} seeds (3 and 5 nodes)`, async () => {
    const failures: string[] = [];
    let acked = 0;
    let crashes = 0;
    let restored = 0;
    let lostWrites = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      try {
        const r = await simulate({ seed, nodes: nodesForSeed(seed), simulatedMs: SIM_MS });
        acked += r.opsAcked;
        crashes += r.crashes;
        restored += r.snapshotsRestored;
        lostWrites += r.crashesLosingWrites;
      } catch (e) {
        if (!(e instanceof SimFailure)) throw e;
        failures.push(e.message);
      }
    }
    expect(failures).toEqual([]);
    // The runs exercised what they are meant to.
    expect(acked).toBeGreaterThan(SEEDS * 50);
    expect(crashes).toBeGreaterThan(SEEDS);
    expect(lostWrites).toBeGreaterThan(0);
    expect(restored).toBeGreaterThan(0);
  }, 300_000);

  it('is deterministic: the same seed gives the same trace hash, another seed another one', async () => {
    const a = await simulate({ seed: 42, nodes: 5, simulatedMs: 5_000 });
    const b = await simulate({ seed: 42, nodes: 5, simulatedMs: 5_000 });
    const c = await simulate({ seed: 43, nodes: 5, simulatedMs: 5_000 });
    expect(b).toEqual(a);
    expect(c.traceHash).not.toBe(a.traceHash);
    const v = await simulate({ seed: 42, nodes: 5, simulatedMs: 5_000, verbose: true });
    expect(v.traceHash).toBe(a.traceHash);
    expect(v.trace?.length).toBeGreaterThan(100);
  });
});

/** Runs seeds with a broken variant until one fails; returns the first failure. */
async function firstFailure(bug: SimBug, maxSeeds: number, faults?: Partial<FaultRates>): Promise<SimFailure | undefined> {
  for (let seed = 1; seed <= maxSeeds; seed++) {
    try {
      await simulate({ seed, nodes: nodesForSeed(seed), simulatedMs: SIM_MS, bug, ...(faults ? { faults } : {}) });
    } catch (e) {
      if (e instanceof SimFailure) return e;
      throw e;
    }
  }
  return undefined;
}

describe('the checks catch broken drivers', () => {
  it('acknowledging a put before it commits', async () => {
    const f = await firstFailure('ack-before-commit', 20);
    expect(f?.invariant).toMatch(/acknowledged put .* lost|not linearizable|committed entry/);
  });

  it('serving gets from the local state machine without ReadIndex', async () => {
    const f = await firstFailure('stale-read', 20);
    expect(f?.invariant).toMatch(/not linearizable/);
  });

  it('a disk that acknowledges fsyncs before the data is durable (crashes forget votes and acks)', async () => {
    // More crashes and partitions than the default mix, so the window is hit within a few seeds.
    const f = await firstFailure('fsync-lies', 100, { crash: 10, pause: 0, partition: 6, transfer: 2, faultEveryMs: [100, 500] });
    expect(f?.invariant).toMatch(/committed entry .* differs|two leaders|acknowledged put .* lost|not linearizable|kv state/);
    expect(f?.message).toMatch(/^seed \d+, step \d+/);
  }, 60_000);
});
