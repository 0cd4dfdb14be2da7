/**
 * Replays one seed: `npm run sim -- --seed N [--nodes 3|5] [--ms SIMULATED_MS] [--bug NAME] [--verbose]`.
 * Prints a summary (and with --verbose the whole event trace); exits 1 when an invariant fails.
 */
import { nodesForSeed, simulate, summarize, SimFailure, type SimBug } from './simulate.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(arg('seed') ?? 1);
const nodes = Number(arg('nodes') ?? nodesForSeed(seed));
if (!Number.isInteger(seed) || (nodes !== 3 && nodes !== 5)) {
  console.error('usage: npm run sim -- --seed N [--nodes 3|5] [--ms SIMULATED_MS] [--bug NAME] [--verbose]');
  process.exit(2);
}
const verbose = process.argv.includes('--verbose');
const ms = arg('ms');
try {
  const r = await simulate({ seed, nodes, verbose, bug: (arg('bug') ?? 'none') as SimBug, ...(ms !== undefined ? { simulatedMs: Number(ms) } : {}) });
  if (verbose) for (const line of r.trace ?? []) console.log(line);
  console.log(summarize(r));
} catch (e) {
  if (!(e instanceof SimFailure)) throw e;
  if (verbose) for (const line of e.trace ?? []) console.log(line);
  console.error(`FAILED ${e.message}`);
  process.exit(1);
}
