import type { Timers } from '../task-manager/timers.js';

/** Real timers for the composition root. */
export const realTimers: Timers = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
