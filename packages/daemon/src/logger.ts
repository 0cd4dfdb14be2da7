import pino from 'pino';

export type Logger = pino.Logger;

/** JSON logs on stderr (pino), level from --log-level. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { pid: process.pid } }, pino.destination(2));
}
