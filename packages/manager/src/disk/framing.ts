import { ERROR_CODES, ShoalError } from '@shoal/common';
import { crc32Hex } from './crc32.js';

/**
 * How every value a manager stores is framed: `<crc32 hex of the JSON>:<JSON>`, verified when read,
 * so that a damaged data directory is refused with the name of what is damaged instead of being
 * half-read.
 */
export const frame = (json: string): string => `${crc32Hex(json)}:${json}`;

export class CorruptLogError extends ShoalError {
  constructor(what: string, reason: string) {
    super(ERROR_CODES.INTERNAL, `corrupt raft log: ${what} ${reason}; the manager's data directory is damaged`);
    this.name = 'CorruptLogError';
  }
}

/** The JSON inside a framed value, after checking its checksum. `what` names it in errors. */
export function unframe(value: string, what: string): string {
  const colon = value.indexOf(':');
  if (colon !== 8) throw new CorruptLogError(what, 'has no checksum');
  const json = value.slice(colon + 1);
  const expected = value.slice(0, colon);
  const actual = crc32Hex(json);
  if (actual !== expected) throw new CorruptLogError(what, `fails its checksum (stored ${expected}, computed ${actual})`);
  return json;
}
