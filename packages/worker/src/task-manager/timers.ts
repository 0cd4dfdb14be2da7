/** Waiting is injected so that the task manager has no timers of its own (DESIGN §4). */
export interface Timers {
  sleep(ms: number): Promise<void>;
}

/** The log the worker writes to (pino-compatible subset). */
export interface WorkerLog {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  debug(o: object, msg?: string): void;
}

export const silentLog: WorkerLog = { info: () => {}, warn: () => {}, debug: () => {} };
