import type { Entry, Message } from '@shoal/raft';

// What of a Ready may happen while its batch syncs, and what must wait for the write (see
// RaftHost.handle): the host overlaps the leader's fsync with sending and applying.

/** Messages that acknowledge what this Ready writes (entries, a vote) are sent only once it is written. */
const AFTER_PERSIST: ReadonlySet<Message['type']> = new Set(['MsgAppResp', 'MsgVoteResp', 'MsgPreVoteResp']);
export const sendsBeforePersist = (m: Message): boolean => !AFTER_PERSIST.has(m.type);

/**
 * How many of `committed` (in index order) come before `firstNew`, the first entry being persisted
 * now, and before the first membership change (those keep their place after the send, as before).
 */
export function countStoredBefore(committed: readonly Entry[], firstNew: number | undefined): number {
  const end = firstNew ?? Infinity;
  let n = 0;
  while (n < committed.length && committed[n]!.index < end && committed[n]!.type !== 'conf') n++;
  return n;
}
