import { randomInt, seededRng, type Rng } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import type { NodeId } from '../src/index.js';
import { appliedData, Network } from './network.js';
import { checkPrefixes } from './check-prefixes.js';

const IDS: NodeId[] = [1, 2, 3, 4, 5];

function randomPartition(net: Network, rng: Rng): void {
  net.heal();
  if (rng.next() < 0.3) return;
  const size = 1 + randomInt(rng, 2);
  const shuffled = [...IDS].sort(() => rng.next() - 0.5);
  net.isolate(...shuffled.slice(0, size));
}

/** Returns how many snapshots followers restored. */
function runSeed(seed: number, faulty: boolean): number {
  const rng = seededRng(seed * 7919);
  const faults = faulty ? { rng, drop: 0.1, duplicate: 0.05, reorder: true } : undefined;
  const net = new Network(IDS, { seed, faults });
  const leaderOfTerm = new Map<number, NodeId>();
  for (let t = 0; t < 400; t++) {
    if (t % 25 === 0) randomPartition(net, rng);
    for (const id of net.leaders()) {
      if (rng.next() < 0.3) net.node(id).propose(`s${seed}-t${t}-n${id}`);
      const term = net.node(id).status().term;
      expect(leaderOfTerm.get(term) ?? id, `two leaders in term ${term}`).toBe(id);
      leaderOfTerm.set(term, id);
    }
    // Now and then a node snapshots what it has applied and compacts its log (keeping no tail).
    if (rng.next() < 0.05) net.compact(IDS[randomInt(rng, IDS.length)]!);
    net.tick();
    checkPrefixes(net);
  }
  net.heal();
  if (faulty) faults!.drop = faults!.duplicate = 0;
  const leader = net.electLeader();
  net.tick(30);
  const final = net.leaders()[0] ?? leader;
  expect(net.node(final).propose(`final-${seed}`)).toBe(true);
  net.tick(3);
  checkPrefixes(net);
  for (const m of net.members.values()) expect(appliedData(m).at(-1)).toBe(`final-${seed}`);
  return [...net.members.values()].reduce((n, m) => n + m.snapshotsRestored, 0);
}

describe('safety under random partitions', () => {
  it('keeps one leader per term, agreeing committed prefixes, and makes progress once healed', () => {
    let restored = 0;
    for (let seed = 1; seed <= 30; seed++) restored += runSeed(seed, false);
    expect(restored, 'compaction sent some followers a snapshot').toBeGreaterThan(0);
  });

  it('stays safe when messages are also dropped, duplicated and reordered', () => {
    let restored = 0;
    for (let seed = 1; seed <= 30; seed++) restored += runSeed(seed, true);
    expect(restored, 'compaction sent some followers a snapshot').toBeGreaterThan(0);
  });
});
