import type { Healthcheck } from '@shoal/common';
import { parseDuration } from './duration.js';
import { parseCount } from './key-value.js';

/** `service create`'s healthcheck flags, as Docker names them. */
export interface HealthFlags {
  healthCmd?: string;
  healthInterval?: string;
  healthTimeout?: string;
  healthRetries?: string;
  healthStartPeriod?: string;
  /** false with `--no-healthcheck` (commander's negated option; true or absent otherwise). */
  healthcheck?: boolean;
}

/**
 * The container's healthcheck from the flags, with Docker's rules: `--health-cmd` runs through
 * the shell (CMD-SHELL); timings without a command keep the image's test; `--no-healthcheck`
 * turns the image's check off and cannot be combined with the others. Undefined when no flag is
 * given (the image's own healthcheck applies).
 */
export function healthcheckFromFlags(f: HealthFlags): Healthcheck | undefined {
  const timed = [f.healthInterval, f.healthTimeout, f.healthRetries, f.healthStartPeriod].some((v) => v !== undefined);
  if (f.healthcheck === false) {
    if (timed || f.healthCmd !== undefined) throw new Error('--no-healthcheck conflicts with --health-* options');
    return { test: ['NONE'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 };
  }
  if (!timed && f.healthCmd === undefined) return undefined;
  return {
    test: f.healthCmd ? ['CMD-SHELL', f.healthCmd] : [],
    intervalMs: f.healthInterval === undefined ? 0 : parseDuration(f.healthInterval),
    timeoutMs: f.healthTimeout === undefined ? 0 : parseDuration(f.healthTimeout),
    retries: f.healthRetries === undefined ? 0 : parseCount(f.healthRetries, 'health retries'),
    startPeriodMs: f.healthStartPeriod === undefined ? 0 : parseDuration(f.healthStartPeriod),
  };
}
