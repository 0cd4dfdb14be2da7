import pino from 'pino';
import { LogDestination } from './io/log-destination.js';

export type Logger = pino.Logger;

/** JSON logs on stderr (pino), level from --log-level; a log that cannot be written is dropped, never fatal. */
export function createLogger(level: string, fd = 2): Logger {
  return pino({ level, base: { pid: process.pid } }, new LogDestination(fd));
}
