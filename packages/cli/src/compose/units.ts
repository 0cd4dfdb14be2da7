import { invalidArgument } from '@shoal/common';
import { parseDuration } from '../parse/duration.js';
import { parseCpus, parseMemory } from '../parse/size.js';

/** Rewraps a parser's plain error as INVALID_ARGUMENT naming the key path. */
function at<T>(path: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw invalidArgument(`${path}: ${(e as Error).message}`);
  }
}

/** A Go duration (`5s`, `1m30s`, `100ms`, `1h`) in milliseconds, or `fallback` when unset. */
export function durationMs(path: string, value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : at(path, () => parseDuration(value));
}

/** A memory size (`50M`, `1gb`, `512k`; binary units) in bytes; a bare number is bytes. */
export function memoryBytes(path: string, value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return Math.floor(value);
  return at(path, () => parseMemory(value));
}

/** A CPU count (`'0.5'` or 0.5) in nano CPUs. */
export function nanoCpus(path: string, value: string | number | undefined): number {
  return value === undefined ? 0 : at(path, () => parseCpus(String(value)));
}
