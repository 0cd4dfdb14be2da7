import type { Entry, Message, Snapshot } from '@shoal/raft';

/**
 * Raft entries, snapshots and messages as JSON. Entry and snapshot data are strings (JSON written
 * by the host) or bytes (the empty entry a new leader appends): bytes travel as base64 under `b`.
 */
type EncodedData = { s: string } | { b: string };

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

const encodeData = (data: Uint8Array | string): EncodedData => (typeof data === 'string' ? { s: data } : { b: toBase64(data) });

function decodeData(d: EncodedData | undefined): Uint8Array | string {
  if (d && 's' in d && typeof d.s === 'string') return d.s;
  if (d && 'b' in d && typeof d.b === 'string') return fromBase64(d.b);
  throw new Error('malformed data');
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    throw new Error('malformed data');
  }
}

export interface EncodedEntry {
  term: number;
  index: number;
  type: Entry['type'];
  data: EncodedData;
}

export const encodeEntry = (e: Entry): EncodedEntry => ({ term: e.term, index: e.index, type: e.type, data: encodeData(e.data) });

export function decodeEntry(e: EncodedEntry): Entry {
  if (!isCount(e?.index) || !isCount(e.term) || (e.type !== 'normal' && e.type !== 'conf')) {
    throw new Error('malformed entry');
  }
  return { term: e.term, index: e.index, type: e.type, data: decodeData(e.data) };
}

export type EncodedSnapshot = Omit<Snapshot, 'data'> & { data: EncodedData };

export const encodeSnapshot = (s: Snapshot): EncodedSnapshot => ({ ...s, data: encodeData(s.data) });

const isIdList = (l: unknown): l is number[] => Array.isArray(l) && l.every((id) => isCount(id) && id > 0);

export function decodeSnapshot(s: EncodedSnapshot): Snapshot {
  if (!isCount(s?.index) || !isCount(s.term) || !isIdList(s.voters) || !(s.learners === undefined || isIdList(s.learners))) throw new Error('malformed snapshot');
  return { index: s.index, term: s.term, voters: s.voters, learners: s.learners ?? [], data: decodeData(s.data) };
}

export function encodeMessage(m: Message): string {
  const { entries, snapshot, ...rest } = m;
  return JSON.stringify({ ...rest, entries: entries.map(encodeEntry), ...(snapshot ? { snapshot: encodeSnapshot(snapshot) } : {}) });
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set<Message['type']>([
  'MsgVote', 'MsgVoteResp', 'MsgPreVote', 'MsgPreVoteResp', 'MsgApp', 'MsgAppResp', 'MsgHeartbeat',
  'MsgHeartbeatResp', 'MsgProp', 'MsgReadIndex', 'MsgReadIndexResp', 'MsgTimeoutNow', 'MsgSnap',
]);
const NUMBER_FIELDS = ['from', 'to', 'term', 'logTerm', 'index', 'commit', 'rejectHint'] as const;
/** A request context is an ID the host chose (a read request, 'transfer'): never large. */
const MAX_CONTEXT_CHARS = 1024;

/**
 * A message from a peer, checked field by field: whatever a peer sends, the core only ever sees
 * a message of a known type with non-negative integer counters (it asserts on what cannot happen,
 * and a peer must not be able to make it).
 */
export function decodeMessage(json: string): Message {
  const m = JSON.parse(json) as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null || typeof m.type !== 'string' || !MESSAGE_TYPES.has(m.type)) throw new Error('malformed raft message: unknown type');
  const bad = NUMBER_FIELDS.find((f) => !isCount(m[f]));
  if (bad) throw new Error(`malformed raft message: ${bad} is not a non-negative integer`);
  if (typeof m.reject !== 'boolean') throw new Error('malformed raft message: reject is not a boolean');
  if (typeof m.context !== 'string' || m.context.length > MAX_CONTEXT_CHARS) throw new Error('malformed raft message: bad context');
  if (!Array.isArray(m.entries)) throw new Error('malformed raft message: entries is not a list');
  const { snapshot, entries, ...rest } = m as unknown as Omit<Message, 'entries' | 'snapshot'> & { entries: EncodedEntry[]; snapshot?: EncodedSnapshot };
  return { ...rest, entries: entries.map(decodeEntry), ...(snapshot ? { snapshot: decodeSnapshot(snapshot) } : {}) };
}

/** Splits an encoded message into payloads of at most `size` characters (gRPC's limit is 4 MiB). */
export function chunk(encoded: string, size = 512 * 1024): string[] {
  if (encoded.length <= size) return [encoded];
  const parts: string[] = [];
  for (let i = 0; i < encoded.length; ) {
    let end = Math.min(i + size, encoded.length);
    // Never split a surrogate pair: each half would arrive as U+FFFD (payloads are UTF-8 strings).
    if (end < encoded.length && end - 1 > i && isHighSurrogate(encoded.charCodeAt(end - 1))) end--;
    parts.push(encoded.slice(i, end));
    i = end;
  }
  return parts;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
