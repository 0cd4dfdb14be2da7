/**
 * A worker of `scripts/sim-many.mjs`: runs seeds `start, start + stride, ...` below `end` and
 * prints one JSON line per seed: `{ seed, nodes, ok, hash? , error? }`.
 */
import { nodesForSeed, simulate, SimFailure } from './simulate.js';

const [start, end, stride] = process.argv.slice(2, 5).map(Number) as [number, number, number];
for (let seed = start; seed < end; seed += stride) {
  const nodes = nodesForSeed(seed);
  try {
    const r = await simulate({ seed, nodes });
    console.log(JSON.stringify({ seed, nodes, ok: true, hash: r.traceHash }));
  } catch (e) {
    const error = e instanceof SimFailure ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    console.log(JSON.stringify({ seed, nodes, ok: false, error }));
  }
}
