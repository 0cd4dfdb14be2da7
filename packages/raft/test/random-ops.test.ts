import { randomInt, seededRng, type Rng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../src/index.js';
import { appliedData, Network } from './network.js';
import { checkPrefixes } from './check-prefixes.js';

const IDS: NodeId[] = [1, 2, 3, 4, 5];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[randomInt(rng, xs.length)]!;
}

/**
 * Random partitions and message faults while clients propose and read through any node and
 * leaders hand over at random. Besides one leader per term and agreeing prefixes, every read must
 * be answered at an index no lower than any commit index reached anywhere before it was asked.
 */
function runSeed(seed: number): { reads: number; transfers: number } {
  const rng = seededRng(seed * 104_729);
  const faults = { rng, drop: 0.05, duplicate: 0.05, reorder: true };
  const net = new Network(IDS, { seed, faults });
  const leaderOfTerm = new Map<number, NodeId>();
  const floor = new Map<string, number>(); // read ctx -> highest commit anywhere when requested
  const seen = new Map<NodeId, number>(); // how many readStates of each node were checked
  let reads = 0;
  let transfers = 0;
  for (let t = 0; t < 300; t++) {
    if (t % 30 === 0) {
      net.heal();
      if (rng.next() < 0.6) net.isolate(...[...IDS].sort(() => rng.next() - 0.5).slice(0, 1 + randomInt(rng, 2)));
    }
    const id = pick(rng, IDS);
    const node = net.node(id);
    if (rng.next() < 0.3) node.propose(`s${seed}-t${t}-n${id}`);
    if (rng.next() < 0.3) {
      const ctx = `s${seed}-r${t}`;
      floor.set(ctx, Math.max(...IDS.map((i) => net.node(i).status().commit)));
      node.readIndex(ctx);
    }
    if (node.status().state === 'leader' && rng.next() < 0.05) {
      if (node.transferLeadership(pick(rng, IDS.filter((i) => i !== id)))) transfers++;
    }
    for (const l of net.leaders()) {
      const term = net.node(l).status().term;
      expect(leaderOfTerm.get(term) ?? l, `two leaders in term ${term}`).toBe(l);
      leaderOfTerm.set(term, l);
    }
    net.tick();
    checkPrefixes(net);
    for (const [mid, m] of net.members) {
      for (const rs of m.readStates.slice(seen.get(mid) ?? 0)) {
        const min = floor.get(rs.requestCtx);
        expect(min, `unknown read ${rs.requestCtx}`).toBeDefined();
        expect(rs.index, `read ${rs.requestCtx} on ${mid} misses committed writes`).toBeGreaterThanOrEqual(min!);
        reads++;
      }
      seen.set(mid, m.readStates.length);
    }
  }
  net.heal();
  faults.drop = faults.duplicate = 0;
  net.tick(30);
  const [leader] = net.leaders();
  expect(leader).toBeDefined();
  const follower = IDS.find((i) => i !== leader)!;
  expect(net.node(follower).propose(`final-${seed}`)).toBe(true);
  net.tick(3);
  checkPrefixes(net);
  for (const m of net.members.values()) expect(appliedData(m).at(-1)).toBe(`final-${seed}`);
  return { reads, transfers };
}

describe('random proposals, reads and transfers under faults', () => {
  it('keeps one leader per term, agreeing prefixes, reads that see every earlier commit', () => {
    let reads = 0;
    let transfers = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = runSeed(seed);
      reads += r.reads;
      transfers += r.transfers;
    }
    expect(reads).toBeGreaterThan(100);
    expect(transfers).toBeGreaterThan(10);
  });
});
