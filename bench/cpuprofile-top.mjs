// Sums self time per function (name and file:line) in .cpuprofile files (node --cpu-prof) and
// returns the top ones. `node bench/cpuprofile-top.mjs [--top N] [--by file] FILE...` prints them.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** `by`: 'function' (name and file:line) or 'file' (the script's path, to see which module costs). */
export function topSelfTime(profilePaths, n = 15, by = 'function') {
  const self = new Map();
  for (const path of [profilePaths].flat()) addSelfTimes(self, JSON.parse(readFileSync(path, 'utf8')), by);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, us]) => ({ fn, ms: Math.round(us / 1000), pct: Math.round((1000 * us) / total) / 10 }));
}

function addSelfTimes(self, p, by) {
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const dt = p.timeDeltas;
  for (let i = 0; i < p.samples.length; i++) {
    const f = byId.get(p.samples[i]).callFrame;
    if (f.functionName === '(idle)') continue; // shares are of the busy time
    const key = by === 'file' ? shortPath(f.url) || f.functionName : `${f.functionName || '(anonymous)'} ${f.url ? basename(f.url) : ''}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  }
}

/** The part of a script's path that names it: from the package or node_modules folder on. */
function shortPath(url) {
  if (!url) return '';
  const m = /(node_modules\/.*|packages\/.*|bench\/.*)$/.exec(url);
  return m ? m[1] : basename(url);
}

/** One line per hot spot, for the console. */
export function formatHotSpots(spots) {
  return spots.map((r) => `${String(r.pct).padStart(5)}%  ${String(r.ms).padStart(6)} ms  ${r.fn}`).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args.splice(args.indexOf(name), 2)[1] : fallback);
  const [top, by] = [Number(option('--top', 25)), option('--by', 'function')];
  console.log(formatHotSpots(topSelfTime(args, top, by)));
}
