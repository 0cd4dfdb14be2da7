import { assert, type Clock } from '@shoal/common';

export type LogVerdict = { log: true; suppressed: number } | { log: false };

/**
 * Logging of refusals, itself bounded: at most one line per key (a source address, a node) per
 * interval, saying how many were left out since the last one; a bounded number of keys.
 */
export class LogThrottle {
  private readonly keys = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly o: { intervalMs: number; maxKeys: number },
    private readonly clock: Clock,
  ) {
    assert(o.intervalMs > 0 && o.maxKeys >= 1, 'log throttle limits must be positive');
  }

  note(key: string): LogVerdict {
    const now = this.clock.now();
    const k = this.keys.get(key);
    if (k && now - k.at < this.o.intervalMs) {
      k.suppressed += 1;
      return { log: false };
    }
    const suppressed = k?.suppressed ?? 0;
    this.keys.delete(key);
    this.keys.set(key, { at: now, suppressed: 0 });
    if (this.keys.size > this.o.maxKeys) this.keys.delete(this.keys.keys().next().value!);
    return { log: true, suppressed };
  }
}

/** One log line per refused key and interval, with the count of those left out. */
export function refusalLogger(
  log: (msg: string, fields: Record<string, unknown>) => void,
  clock: Clock,
  o: { intervalMs: number; maxKeys: number } = { intervalMs: 10_000, maxKeys: 1_000 },
): (key: string, msg: string, fields: Record<string, unknown>) => void {
  const throttle = new LogThrottle(o, clock);
  return (key, msg, fields) => {
    const v = throttle.note(key);
    if (v.log) log(msg, v.suppressed > 0 ? { ...fields, alsoRefusedSinceLastLine: v.suppressed } : fields);
  };
}
