// Reads a .cpuprofile (node --cpu-prof) and sums self time per function: the hot spots.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The `top` functions by self time: [{ fn, where, selfMs, pct }]; pct of the busy (not idle) time. */
export function hotSpots(path, top = 15) {
  const prof = JSON.parse(readFileSync(path, 'utf8'));
  const byNode = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = prof.timeDeltas[i] ?? 0;
    const f = byNode.get(id)?.callFrame;
    if (!f || f.functionName === '(idle)') return;
    total += dt;
    const url = f.url.startsWith('file://') ? relative(process.cwd(), new URL(f.url).pathname) : f.url;
    const key = `${f.functionName || '(anonymous)'}\t${url}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const [fn, where] = key.split('\t');
      return { fn, where, selfMs: Math.round(us / 1000), pct: Math.round((1000 * us) / total) / 10 };
    });
}

/** One line per hot spot, for the console. */
export function formatHotSpots(spots) {
  return spots.map((s) => `${String(s.pct).padStart(5)}%  ${String(s.selfMs).padStart(7)} ms  ${s.fn}  ${s.where}`).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatHotSpots(hotSpots(process.argv[2], Number(process.argv[3] ?? 25))));
}
