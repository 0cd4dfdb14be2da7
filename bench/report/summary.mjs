// Folds repeated runs of one benchmark into a median and a spread per figure.

/** The median of finite numbers (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (n) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

/**
 * runs: one flat object of numbers per run. Returns, per figure, the median over the runs that
 * reported it, the lowest and highest value, and how many runs reported it.
 */
export function summarize(runs) {
  const byName = new Map();
  for (const run of runs) {
    for (const [name, value] of Object.entries(run)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push(value);
    }
  }
  const figures = {};
  for (const [name, values] of byName) {
    figures[name] = { median: round(median(values)), low: round(Math.min(...values)), high: round(Math.max(...values)), runs: values.length };
  }
  return figures;
}

/** "12.3 (11.9–13.0, 3 runs)": a figure as the table prints it. */
export function describe(figure) {
  if (figure.runs === 1) return `${figure.median}`;
  return `${figure.median} (${figure.low}–${figure.high}, ${figure.runs} runs)`;
}
