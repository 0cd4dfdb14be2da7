import { resourceExhausted, type ShoalError } from '@shoal/common';

/** What a write refused for lack of disk space says, on every path (CLI, peers, logs). */
export const DISK_FULL_MESSAGE = "no space left on the manager's disk";

/** A write that was refused before it was proposed: it will never be applied. */
export function diskFullError(): ShoalError {
  return resourceExhausted(DISK_FULL_MESSAGE);
}

/** A write that was proposed when the disk filled: its entry is kept and persisted once space is back. */
export function diskFilledInFlightError(): ShoalError {
  return resourceExhausted(`${DISK_FULL_MESSAGE} (this write may still be applied once space is freed)`);
}

/**
 * Whether a storage error means the file system is full (ENOSPC, or a quota: EDQUOT). Node
 * reports these as error codes; LevelDB reports them as an I/O error whose message (or whose
 * cause's message, when opening) carries the system's text.
 */
export function isDiskFull(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return true;
    if (/no space left on device|disk quota exceeded/i.test(e.message)) return true;
  }
  return false;
}
