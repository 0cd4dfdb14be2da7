import { readFileSync } from 'node:fs';

/** The last `lines` lines of a daemon's log, for error messages. */
export function logTail(path: string, lines = 25): string {
  try {
    const all = readFileSync(path, 'utf8').trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  } catch (e) {
    return `(no log at ${path}: ${(e as Error).message})`;
  }
}

/** An error whose message ends with the tail of the log that explains it. */
export function withLog(message: string, logFile: string): Error {
  return new Error(`${message}\n--- last lines of ${logFile} ---\n${logTail(logFile)}`);
}
